using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Our PFS key pair for quick mode message 1 (expensive for MODP groups); the message goes out once it is back
/// (<see cref="QuickModeInitiator.CompleteKeyPair"/>). <see cref="Quick"/> is not yet among the SA's quick modes.
/// </summary>
internal sealed class QuickModeInitiatorKeyPairComputation(IkeSa sa, DiffieHellmanGroup group, byte[] privateKey, QuickModeState quick)
    : KeyExchangeComputation(sa, group, privateKey)
{
    public QuickModeState Quick { get; } = quick;
}
