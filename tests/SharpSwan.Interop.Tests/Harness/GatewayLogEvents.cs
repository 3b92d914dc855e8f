using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpSwan.Interop.Tests.Harness;

/// <summary>Reads phase 2 events out of the gateway's log (<c>--log-level -1</c> output).</summary>
public static partial class GatewayLogEvents
{
    /// <summary>Every child SA the gateway installed, in log order.</summary>
    public static IReadOnlyList<IpsecSaAdded> AddedSas(string log) =>
        AddedLine().Matches(log)
            .Select(match => new IpsecSaAdded(
                Hex(match.Groups["in"].Value),
                Hex(match.Groups["out"].Value),
                match.Groups["role"].Value == "initiator"))
            .ToList();

    /// <summary>The gateway's own log lines that contain <paramref name="fragment"/> (the harness's remarks are skipped).</summary>
    public static IReadOnlyList<string> LinesContaining(string log, string fragment) =>
        log.Split('\n')
            .Where(line => line.Contains(fragment, StringComparison.Ordinal) && !line.StartsWith("[harness ", StringComparison.Ordinal))
            .Select(line => line.TrimEnd())
            .ToList();

    /// <summary>
    /// The records of the gateway's event log file (FortiOS <c>key=value</c> / <c>key="value"</c> lines, made from the
    /// engine's typed events), each as its fields; empty while the file does not exist.
    /// </summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Records(string eventLogPath) =>
        !File.Exists(eventLogPath)
            ? []
            : File.ReadAllLines(eventLogPath)
                .Select(line => (IReadOnlyDictionary<string, string>)RecordField().Matches(line).ToDictionary(
                    m => m.Groups["key"].Value,
                    m => m.Groups["quoted"].Success ? m.Groups["quoted"].Value : m.Groups["plain"].Value,
                    StringComparer.Ordinal))
                .ToList();

    private static uint Hex(string text) => uint.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    // "ike 0:to-branch:1:to-branch-p2:3: added IPsec SA: SPIs=13a3d20f/cab4a754 proposal aes256gcm pfs dhgrp 20 initiator"
    [GeneratedRegex(@"added IPsec SA: SPIs=(?<in>[0-9a-fA-F]{8})/(?<out>[0-9a-fA-F]{8})\b[^\n]*\b(?<role>initiator|responder)\s*$", RegexOptions.Multiline)]
    private static partial Regex AddedLine();

    [GeneratedRegex(@"(?<key>[a-z_0-9]+)=(?:""(?<quoted>[^""]*)""|(?<plain>[^\s""]+))")]
    private static partial Regex RecordField();
}
