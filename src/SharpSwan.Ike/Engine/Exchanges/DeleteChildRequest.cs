namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>Our INFORMATIONAL DELETE of a child SA.</summary>
internal sealed record DeleteChildRequest(ChildSa Child, string Reason) : SentRequest;
