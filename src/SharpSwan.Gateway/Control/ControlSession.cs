namespace SharpSwan.Gateway.Control;

/// <summary>
/// Per-client state of the control socket, as a FortiOS CLI session keeps it: debug settings, the configuration
/// being edited. One-shot clients get a fresh session per connection.
/// </summary>
public sealed class ControlSession
{
    /// <summary>`diagnose debug application ike &lt;level&gt;` (0 = off, -1 = everything).</summary>
    public int IkeDebugLevel { get; set; }

    /// <summary>`diagnose debug enable`.</summary>
    public bool DebugEnabled { get; set; }

    /// <summary>`diagnose debug console timestamp enable`.</summary>
    public bool ConsoleTimestamp { get; set; }

    /// <summary>`diagnose debug flow show function-name enable`: flow trace lines name the nftables chain and rule.</summary>
    public bool FlowShowFunctionName { get; set; }

    /// <summary>`diagnose vpn ike log-filter ...` conditions (name, src-addr4, dst-addr4), empty when cleared.</summary>
    public Dictionary<string, string> LogFilter { get; } = new(StringComparer.Ordinal);

    /// <summary>Who is connected: the author of the configuration changes this session commits.</summary>
    public ChangeAuthor Author { get; init; } = new("unknown", ChangeSource.Cli, "unknown");

    /// <summary>State owned by command groups (the configuration editor, for one), keyed by the group.</summary>
    public Dictionary<string, object> Items { get; } = new(StringComparer.Ordinal);
}
