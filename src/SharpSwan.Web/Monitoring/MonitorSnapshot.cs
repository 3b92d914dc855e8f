namespace SharpSwan.Web.Monitoring;

/// <summary>Every tunnel's state at one instant (<paramref name="CapturedAt"/>), from which countdowns are computed.</summary>
public sealed record MonitorSnapshot(DateTimeOffset CapturedAt, IReadOnlyList<TunnelStatus> Tunnels);
