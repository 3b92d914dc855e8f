using System.Globalization;
using SharpSwan.Cli.Grammar;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// What `diagnose sys session filter` and `diagnose debug flow filter` read alike: `&lt;keyword&gt; &lt;values&gt;`, and the
/// value forms (one address or a range, one port or a range, a protocol number, the VDOM). Errors are FortiOS's parse
/// error pointing at the word that is wrong.
/// </summary>
internal static class FilterArguments
{
    /// <summary>
    /// The keyword (lower case) and its values; false with <paramref name="error"/> when a keyword other than `clear` has no
    /// value, or `clear` has one.
    /// </summary>
    public static bool TrySplit(IReadOnlyList<string> arguments, out string keyword, out List<string> values, out string? error)
    {
        keyword = arguments[0].ToLowerInvariant();
        values = [.. arguments.Skip(1)];
        error = keyword == "clear"
            ? values.Count == 0 ? null : CommandTree.ParseError(values[0])
            : values.Count == 0 ? CommandTree.ParseError(arguments[0]) : null;
        return error is null;
    }

    /// <summary>One VDOM (root, index 0): -1 (every VDOM) and 0 both mean all there is.</summary>
    public static bool IsRootVdom(List<string> values) => values.Count == 1 && values[0] is "-1" or "0";

    public static bool TryProtocol(List<string> values, out byte protocol)
    {
        protocol = 0;
        return values.Count == 1 && byte.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out protocol);
    }

    /// <summary>One address, `from-to`, or (FortiOS 7.2+) `from to`.</summary>
    public static bool TryAddresses(List<string> values, out Ipv4Range range)
    {
        range = default;
        return values.Count <= 2 && (values.Count == 2 ? Ipv4Range.TryParse(values[0], values[1], out range) : Ipv4Range.TryParse(values[0], out range));
    }

    /// <summary>One port, or `from to`.</summary>
    public static bool TryPorts(List<string> values, out (ushort First, ushort Last) ports)
    {
        ports = default;
        if (values.Count > 2 || !TryPort(values[0], out var first) || !TryPort(values[^1], out var last) || last < first)
        {
            return false;
        }

        ports = (first, last);
        return true;
    }

    /// <summary>The parse error at the last value (where FortiOS points when a value is wrong).</summary>
    public static string ValueError(List<string> values) => CommandTree.ParseError(values[^1]);

    private static bool TryPort(string text, out ushort port) => ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port);
}
