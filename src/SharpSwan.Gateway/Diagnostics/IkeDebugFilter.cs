using SharpSwan.Ike.Logging;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// `diagnose vpn ike log-filter` (7.2+: `diagnose vpn ike filter`) conditions, all of which a line must meet:
/// the phase 1 name, the local address (`src-addr4`) and the remote gateway (`dst-addr4`). A line whose tunnel or
/// addresses are unknown fails every condition, as FortiOS hides unattributed lines once a filter is set.
/// </summary>
public sealed record IkeDebugFilter(string? Name, Ipv4Range? Source, Ipv4Range? Destination)
{
    /// <summary>Keys of <see cref="Control.ControlSession.LogFilter"/>.</summary>
    public const string NameKey = "name";
    public const string SourceKey = "src-addr4";
    public const string DestinationKey = "dst-addr4";

    public static readonly IkeDebugFilter None = new(null, null, null);

    public bool IsEmpty => Name is null && Source is null && Destination is null;

    /// <summary>Builds the filter from a session's stored conditions; malformed entries (never stored by the CLI) are ignored.</summary>
    public static IkeDebugFilter From(IReadOnlyDictionary<string, string> conditions)
    {
        Ipv4Range? Range(string key) => conditions.TryGetValue(key, out var text) && Ipv4Range.TryParse(text, out var range) ? range : null;
        return new IkeDebugFilter(conditions.GetValueOrDefault(NameKey), Range(SourceKey), Range(DestinationKey));
    }

    public bool Matches(IkeDebugLine line) =>
        (Name is null || string.Equals(line.Phase1, Name, StringComparison.Ordinal))
        && (Source is not { } source || source.Contains(line.Local?.Address))
        && (Destination is not { } destination || destination.Contains(line.Remote?.Address));

    /// <summary>
    /// Whether `diagnose debug application ike &lt;level&gt;` shows a line: 0 nothing, negative everything, and otherwise the
    /// engine's verbosity steps (1 events, 2 negotiation, 3 and above every message), as `--log-level` reads them.
    /// </summary>
    public static bool LevelShows(int level, IkeLogLevel line) => level < 0 || (level > 0 && (int)line <= level);

    /// <summary>The most verbose engine level a debug level needs generated (0: none).</summary>
    public static int Threshold(int level) => level < 0 ? (int)IkeLogLevel.Packet : Math.Min(level, (int)IkeLogLevel.Packet);
}
