namespace SharpSwan.Gateway.Events;

/// <summary>
/// A FortiOS-style VPN event (log type `event`, subtype `vpn`): the log id (`01` event, `01` vpn, six-digit message id),
/// severity, action and description, then the fields particular to the message, in FortiOS's order.
/// </summary>
public sealed record VpnEvent(
    DateTimeOffset Time,
    string LogId,
    string Level,
    string Action,
    string Description,
    string Message,
    string? Tunnel,
    IReadOnlyList<VpnEventField> Fields);
