namespace SharpSwan.Ike.Events;

/// <summary>Where a negotiation failed.</summary>
public enum NegotiationStage
{
    /// <summary>Before any exchange: nothing to negotiate from (no local address).</summary>
    Start,

    /// <summary>IKE_SA_INIT, or the new IKE SA as a whole (timeouts, malformed answers).</summary>
    IkeSaInit,

    /// <summary>IKE_AUTH: identities, authentication.</summary>
    IkeAuth,

    /// <summary>A child SA (CREATE_CHILD_SA, or the child inside IKE_AUTH).</summary>
    ChildSa,

    /// <summary>A rekey of the IKE SA.</summary>
    IkeRekey,

    /// <summary>An established IKE SA that stopped working (a request unanswered).</summary>
    Established,
}
