namespace SharpSwan.Ike.Events;

/// <summary>We were asked to bring a tunnel up and cannot start it from this side (log: <c>dial-up gateway: cannot initiate, waiting for the peer</c>).</summary>
public sealed record InitiateRefused : IkeEvent
{
    /// <summary>True when the tunnel is a dial-up (dynamic) gateway, which only the peer can start.</summary>
    public required bool DialUp { get; init; }
}
