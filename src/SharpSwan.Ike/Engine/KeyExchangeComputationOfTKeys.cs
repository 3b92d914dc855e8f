using SharpSwan.Crypto;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// A key exchange that also keys an SA from its shared secret on the computing thread: IKEv2's IKE_SA_INIT
/// (<see cref="Keys.IkeSaKeys"/>) and IKEv1's phase 1 (<see cref="V1.Keys.IsakmpSaKeys"/>, SKEYID and its family). The
/// secret itself is wiped once the keys exist; the keys are the SA's from <see cref="TakeKeys"/>, or wiped by
/// <see cref="EngineComputation.Discard"/>.
/// </summary>
public abstract class KeyExchangeComputation<TKeys> : KeyExchangeComputation
    where TKeys : class
{
    /// <inheritdoc cref="KeyExchangeComputation(IkeSa, DiffieHellmanGroup, byte[], byte[])"/>
    private protected KeyExchangeComputation(IkeSa sa, DiffieHellmanGroup group, byte[] privateKey, byte[] peerPublicValue)
        : base(sa, group, privateKey, peerPublicValue)
    {
    }

    /// <inheritdoc cref="KeyExchangeComputation(IkeSa, KeyExchange, byte[])"/>
    private protected KeyExchangeComputation(IkeSa sa, KeyExchange ours, byte[] peerPublicValue)
        : base(sa, ours, peerPublicValue)
    {
    }

    /// <summary>The derived keys; null until <see cref="EngineComputation.Run"/>, or when the peer's value was unusable.</summary>
    internal TKeys? Keys { get; private set; }

    /// <summary>The keys, handed over to the SA (they are its to wipe from now on).</summary>
    internal TKeys? TakeKeys()
    {
        var keys = Keys;
        Keys = null;
        return keys;
    }

    /// <summary>The keys from the shared secret (on the computing thread; the caller wipes the secret).</summary>
    private protected abstract TKeys DeriveKeys(byte[] sharedSecret);

    /// <summary>Wipes keys that were derived and never taken.</summary>
    private protected abstract void Wipe(TKeys keys);

    private protected sealed override bool KeepKeys(byte[] sharedSecret)
    {
        Keys = DeriveKeys(sharedSecret);
        return true;
    }

    private protected sealed override void WipeKeys()
    {
        if (TakeKeys() is { } keys)
        {
            Wipe(keys);
        }
    }
}
