using SharpSwan.Crypto;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>Our CREATE_CHILD_SA for a child SA: what we proposed, the SA it rekeys (if any) and our PFS key exchange.</summary>
internal sealed record CreateChildRequest(ChildProposalContext Context, ChildSa? RekeyOf, KeyExchange? KeyExchange, string Label) : SentRequest;
