namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>An INFORMATIONAL DELETE of one child SA; the child is removed when the peer answers.</summary>
internal sealed record DeleteChildJob(ChildSa Child, string Reason) : IkeJob;
