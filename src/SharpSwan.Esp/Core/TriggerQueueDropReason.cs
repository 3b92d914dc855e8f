namespace SharpSwan.Esp.Core;

public enum TriggerQueueDropReason
{
    /// <summary>They waited as long as an IKE negotiation may take (phase 1 negotiate-timeout).</summary>
    NegotiateTimeout,

    /// <summary>The host reported that negotiation of the phase 2 failed (<see cref="PacketCore.NegotiationFailed"/>).</summary>
    NegotiationFailed,

    /// <summary>The phase 2 never initiates (a dial-up server): no negotiation will come for them.</summary>
    NeverInitiates,
}
