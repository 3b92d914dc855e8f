using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.V1.Keys;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// The key exchange of an IKEv1 phase 1 (main or aggressive mode, as either end): g^xy with the peer's value (our own
/// value first when we answer), then the ISAKMP SA's keys (<see cref="PhaseOneKeying"/>). The SA takes them on the engine
/// thread (<see cref="MainModeKeying.Keyed"/>) and goes on from the step that waited; each kind carries what that step needs.
/// </summary>
internal abstract class PhaseOneComputation : KeyExchangeComputation<IsakmpSaKeys>
{
    private readonly PhaseOneKeying _keying;
    private readonly byte[] _sentPublicValue;

    /// <summary>We answer: our key pair comes from <paramref name="privateKey"/>, drawn on the engine thread.</summary>
    private protected PhaseOneComputation(IkeSa sa, PhaseOneKeying keying, DiffieHellmanGroup group, byte[] privateKey, byte[] peerPublicValue)
        : base(sa, group, privateKey, peerPublicValue)
    {
        _keying = keying;
        _sentPublicValue = [];
        PeerPublicValue = peerPublicValue;
    }

    /// <summary>We sent our value already: <paramref name="ours"/> is handed over.</summary>
    private protected PhaseOneComputation(IkeSa sa, PhaseOneKeying keying, KeyExchange ours, byte[] peerPublicValue)
        : base(sa, ours, peerPublicValue)
    {
        _keying = keying;
        _sentPublicValue = ours.PublicValue;
        PeerPublicValue = peerPublicValue;
    }

    /// <summary>The peer's KE data (g^xi or g^xr: the phase-1 IV and HASH_I/HASH_R cover it).</summary>
    public byte[] PeerPublicValue { get; }

    /// <summary>Our KE data: the one we sent, or the one computed here when we answer.</summary>
    public byte[] OwnPublicValue => _sentPublicValue.Length > 0 ? _sentPublicValue : PublicValue;

    private protected sealed override IsakmpSaKeys DeriveKeys(byte[] sharedSecret) => _keying.Derive(sharedSecret);

    private protected sealed override void Wipe(IsakmpSaKeys keys) => keys.Dispose();
}
