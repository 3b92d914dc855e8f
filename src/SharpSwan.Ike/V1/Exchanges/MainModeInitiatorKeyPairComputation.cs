using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Our key pair for main mode message 3 (expensive for MODP groups); message 3 goes out once it is back
/// (<see cref="MainModeInitiator.CompleteKeyPair"/>). Message 1 stays outstanding meanwhile, for negotiate-timeout only.
/// </summary>
internal sealed class MainModeInitiatorKeyPairComputation(IkeSa sa, DiffieHellmanGroup group, byte[] privateKey)
    : KeyExchangeComputation(sa, group, privateKey);
