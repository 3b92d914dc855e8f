namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>Our IKE_AUTH, with the first child SA it proposes (null when no phase 2 rides on it).</summary>
internal sealed record AuthRequest(ChildProposalContext? Child) : SentRequest;
