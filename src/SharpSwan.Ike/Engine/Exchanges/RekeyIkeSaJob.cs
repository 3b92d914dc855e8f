using SharpSwan.Crypto;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>A rekey of the IKE SA itself (CREATE_CHILD_SA with an IKE proposal).</summary>
/// <param name="Group">The DH group to use (the peer asked for it with INVALID_KE_PAYLOAD); null for the SA's current one.</param>
internal sealed record RekeyIkeSaJob(DiffieHellmanGroup? Group) : IkeJob;
