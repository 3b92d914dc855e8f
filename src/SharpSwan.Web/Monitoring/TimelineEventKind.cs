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
}
