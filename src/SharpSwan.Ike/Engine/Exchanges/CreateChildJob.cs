using SharpSwan.Config;
using SharpSwan.Crypto;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>A CREATE_CHILD_SA for a phase 2: a new child SA, or with <see cref="RekeyOf"/> the rekey of that one.</summary>
/// <param name="Group">The PFS group to offer first (the peer asked for it with INVALID_KE_PAYLOAD); null for the configured first.</param>
internal sealed record CreateChildJob(Phase2Settings Phase2, ChildSa? RekeyOf, DiffieHellmanGroup? Group) : IkeJob;
