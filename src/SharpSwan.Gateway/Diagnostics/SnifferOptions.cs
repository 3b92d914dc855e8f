using System.Globalization;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// Arguments of `diagnose sniffer packet [&lt;interface|any&gt; ['&lt;filter&gt;'|none [&lt;1-6&gt; [&lt;count&gt; [&lt;a|l|r&gt; [&lt;frame size&gt;]]]]]]
/// [pcap=&lt;/absolute/file&gt;]`, with FortiOS's defaults (any, none, 1, 0 = until interrupted, relative). The `pcap=` word is
/// SharpSwan's: it also writes every printed packet to a pcapng file (one interface block per interface, with names
/// and directions) that tshark and Wireshark read.
/// </summary>
public sealed record SnifferOptions
{
    public const string PcapPrefix = "pcap=";

    public string Interface { get; init; } = "any";

    /// <summary>BPF expression; null for `none`.</summary>
    public string? Filter { get; init; }

    /// <summary>1 header, 2 + IP hex, 3 + link hex, 4 header with interface, 5 + IP hex, 6 + link hex.</summary>
    public int Verbosity { get; init; } = 1;

    /// <summary>Packets to print before stopping; 0 = until interrupted.</summary>
    public int Count { get; init; }

    public SnifferTimestampFormat TimestampFormat { get; init; } = SnifferTimestampFormat.Relative;

    /// <summary>Bytes kept of each packet (libpcap snaplen).</summary>
    public int FrameSize { get; init; } = 65535;

    public string? PcapPath { get; init; }

    /// <summary>Parses the words after `diagnose sniffer packet`; on failure returns null and the word FortiOS would point at.</summary>
    public static SnifferOptions? Parse(IReadOnlyList<string> words, out string? badWord)
    {
        badWord = null;
        var options = new SnifferOptions();
        var positional = new List<string>();
        foreach (var word in words)
        {
            if (word.StartsWith(PcapPrefix, StringComparison.OrdinalIgnoreCase))
            {
                var path = word[PcapPrefix.Length..];
                if (path.Length == 0 || !Path.IsPathFullyQualified(path) || options.PcapPath is not null)
                {
                    badWord = word;
                    return null;
                }

                options = options with { PcapPath = path };
            }
            else
            {
                positional.Add(word);
            }
        }

        if (positional.Count > 6)
        {
            badWord = positional[6];
            return null;
        }

        if (positional.Count > 0)
        {
            options = options with { Interface = positional[0] };
        }

        if (positional.Count > 1)
        {
            var filter = positional[1].Trim();
            options = options with { Filter = filter.Length == 0 || filter.Equals("none", StringComparison.OrdinalIgnoreCase) ? null : filter };
        }

        if (positional.Count > 2)
        {
            if (!TryNumber(positional[2], 1, 6, out var verbosity))
            {
                badWord = positional[2];
                return null;
            }

            options = options with { Verbosity = verbosity };
        }

        if (positional.Count > 3)
        {
            if (!TryNumber(positional[3], 0, int.MaxValue, out var count))
            {
                badWord = positional[3];
                return null;
            }

            options = options with { Count = count };
        }

        if (positional.Count > 4)
        {
            options = options with
            {
                TimestampFormat = positional[4] switch
                {
                    "a" => SnifferTimestampFormat.AbsoluteUtc,
                    "l" => SnifferTimestampFormat.AbsoluteLocal,
                    _ => SnifferTimestampFormat.Relative,
                },
            };
        }

        if (positional.Count > 5)
        {
            if (!TryNumber(positional[5], 64, 65535, out var frameSize))
            {
                badWord = positional[5];
                return null;
            }

            options = options with { FrameSize = frameSize };
        }

        return options;
    }

    private static bool TryNumber(string text, int min, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
}
