namespace SharpSwan.Web.Monitoring;

/// <summary>What happened to a tunnel, as the Timeline chart draws it (one lane each).</summary>
public enum TimelineEventKind
{
    IkeUp,
    IkeRekey,
    IkeDown,
    SaInstalled,
    SaRekeyed,
    SaExpired,
    SelectorDown,
    NegotiationFailure,

    /// <summary>The data plane moved a selector's outbound traffic to another SA (make-before-break, fall-back).</summary>
    OutboundSwitched,

    /// <summary>Packets held while a selector had no SA were dropped (negotiation failed or took too long).</summary>
    TriggerQueueDropped,
}
