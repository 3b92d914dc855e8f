using SharpSwan.Ike.Negotiation;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// A child SA we answer, negotiated up to its keys: the phase 2 and selectors, the proposal, both nonces, and with PFS our
/// drawn private key and the peer's DH value (the key exchange is still to be done: <see cref="ResponderChildComputation"/>).
/// </summary>
internal sealed record ChildAnswer(ChildSelectorMatch Match, ProposalSelector.EspChoice Choice, byte[] NonceI, byte[] NonceR, byte[]? PrivateKey, byte[] PeerPublicValue);
