using SharpSwan.Crypto;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// Keying from the answer to our IKE_SA_INIT: the shared secret from the key exchange we offered and the responder's
/// value, and the IKE SA's keys. The SA takes what the answer said only once the keys exist
/// (<see cref="Exchanges.IkeSaInitExchange.CompleteResponse"/>), then IKE_AUTH follows.
/// </summary>
internal sealed class InitiatorSaInitComputation : KeyExchangeComputation<IkeSaKeys>
{
    private readonly byte[] _nonceInitiator;
    private readonly ulong _initiatorSpi;

    public InitiatorSaInitComputation(IkeSa sa, KeyExchange ours, IkeSuite suite, IkeMessage response, byte[] datagram, ulong responderSpi, byte[] nonceResponder, byte[] peerPublicValue, DateTimeOffset receivedAt)
        : base(sa, ours, peerPublicValue)
    {
        Suite = suite;
        Response = response;
        Datagram = datagram;
        ResponderSpi = responderSpi;
        NonceResponder = nonceResponder;
        ReceivedAt = receivedAt;
        _nonceInitiator = sa.NonceInitiator;
        _initiatorSpi = sa.InitiatorSpi;
    }

    public IkeSuite Suite { get; }

    /// <summary>The responder's IKE_SA_INIT answer, decoded, and as received (IKE_AUTH signs it).</summary>
    public IkeMessage Response { get; }

    public byte[] Datagram { get; }

    public ulong ResponderSpi { get; }

    public byte[] NonceResponder { get; }

    /// <summary>When the answer came (the SA's last inbound message, whenever the keys are ready).</summary>
    public DateTimeOffset ReceivedAt { get; }

    private protected override IkeSaKeys DeriveKeys(byte[] sharedSecret) =>
        IkeSaKeys.Derive(Suite, sharedSecret, _nonceInitiator, NonceResponder, _initiatorSpi, ResponderSpi, []);

    private protected override void Wipe(IkeSaKeys keys) => keys.Wipe();
}
