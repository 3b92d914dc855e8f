using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// Answering an IKE_SA_INIT: our public value, the shared secret with the initiator's and the half-open SA's keys. The
/// engine then sends the answer (<see cref="Exchanges.IkeSaInitExchange.Complete"/>).
/// </summary>
internal sealed class ResponderSaInitComputation : KeyExchangeComputation<IkeSaKeys>
{
    private readonly byte[] _nonceInitiator;
    private readonly byte[] _nonceResponder;
    private readonly ulong _initiatorSpi;
    private readonly ulong _responderSpi;

    public ResponderSaInitComputation(IkeSa sa, IkeMessage request, Proposal proposal, IkeSuite suite, byte[] privateKey, byte[] peerPublicValue)
        : base(sa, suite.Group, privateKey, peerPublicValue)
    {
        Request = request;
        Proposal = proposal;
        Suite = suite;
        _nonceInitiator = sa.NonceInitiator;
        _nonceResponder = sa.NonceResponder;
        _initiatorSpi = sa.InitiatorSpi;
        _responderSpi = sa.ResponderSpi;
    }

    public IkeMessage Request { get; }

    public Proposal Proposal { get; }

    public IkeSuite Suite { get; }

    private protected override IkeSaKeys DeriveKeys(byte[] sharedSecret) =>
        IkeSaKeys.Derive(Suite, sharedSecret, _nonceInitiator, _nonceResponder, _initiatorSpi, _responderSpi, []);

    private protected override void Wipe(IkeSaKeys keys) => keys.Wipe();
}
