using SharpSwan.Config.Editing;
using SharpSwan.Gateway.Control;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Web.Monitoring;
using SharpSwan.Web.Persistence;

namespace SharpSwan.Web.Hosting;

/// <summary>
/// What the web GUI and REST API work on: the live configuration, the tunnel monitor, storage and the timeline, and the
/// gateway's stale-edit tracker shared with the CLI (null: the web keeps one of its own, e.g. in tests).
/// </summary>
public sealed record AdminWebServices(
    IConfigurationApplier Applier,
    ITunnelMonitor Monitor,
    IConfigurationPersistence Persistence,
    TunnelTimeline Timeline,
    StaleEditTracker? EditTracker = null)
{
    /// <summary>The gateway's metrics for <c>/metrics</c>; null serves none (404).</summary>
    public GatewayMetrics? Metrics { get; init; }

    /// <summary>The firewall policies' hit counts by policy id (0: the implicit deny) for the Policies page; null shows none.</summary>
    public Func<IReadOnlyDictionary<long, PolicyHitCount>>? PolicyHits { get; init; }

    /// <summary>
    /// Clears the sessions a filter matches (<c>monitor/firewall/session/close-all</c>, <c>close-multiple</c>); returns how many
    /// went (-1: all, uncounted). Null: the endpoints answer that this gateway has no session table to clear.
    /// </summary>
    public Func<SessionFilter, int>? ClearSessions { get; init; }

    /// <summary>The session table (<c>GET monitor/firewall/session</c>); null: the endpoint answers that there is none.</summary>
    public Func<List<SharpSwan.Platform.ConnectionEntry>>? ListSessions { get; init; }
}
