using System.Security.Cryptography;
using SharpSwan.Crypto;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// The Diffie-Hellman work of one exchange step: the shared secret with the peer's value (and our own public value first
/// when we answer), and the SA keys derived from it where the step makes some (<see cref="KeyExchangeComputation{TKeys}"/>);
/// or, when we initiate, only our key pair (its public value goes into our request, the pair waits for the answer). A
/// private key was already drawn from the engine's random source, in the engine's order. Each kind (IKEv2: IKE_SA_INIT,
/// CREATE_CHILD_SA for a child or an IKE SA rekey; IKEv1: main mode, aggressive mode, quick mode with PFS; as either end)
/// says what it is for and what is derived here.
/// </summary>
public abstract class KeyExchangeComputation : EngineComputation
{
    private readonly DiffieHellmanGroup _group;
    private readonly byte[] _privateKey;
    private readonly KeyExchange? _ours;
    private readonly byte[]? _peerPublicValue;

    /// <summary>We answer: our key pair is built from <paramref name="privateKey"/> here (it is ours to wipe from now on).</summary>
    private protected KeyExchangeComputation(IkeSa sa, DiffieHellmanGroup group, byte[] privateKey, byte[] peerPublicValue)
        : base(sa)
    {
        _group = group;
        _privateKey = privateKey;
        _peerPublicValue = peerPublicValue;
    }

    /// <summary>We initiate: only our key pair is built here from <paramref name="privateKey"/> (ours to wipe from now on); it is the result.</summary>
    private protected KeyExchangeComputation(IkeSa sa, DiffieHellmanGroup group, byte[] privateKey)
        : base(sa)
    {
        _group = group;
        _privateKey = privateKey;
    }

    /// <summary>We sent our value already: <paramref name="ours"/> is handed over (disposed here, never touched by the engine again).</summary>
    private protected KeyExchangeComputation(IkeSa sa, KeyExchange ours, byte[] peerPublicValue)
        : base(sa)
    {
        _group = ours.Group;
        _privateKey = [];
        _ours = ours;
        _peerPublicValue = peerPublicValue;
    }

    /// <summary>Our KE payload's data when we answer or initiate; set by <see cref="EngineComputation.Run"/>.</summary>
    internal byte[] PublicValue { get; private set; } = [];

    /// <summary>
    /// The shared secret itself when no SA keys are derived here (a child SA's PFS: its keys come from it once the
    /// answer is checked, on the engine thread); null until <see cref="EngineComputation.Run"/> or when the peer's value
    /// was unusable.
    /// </summary>
    internal byte[]? SharedSecret { get; private set; }

    /// <summary>When we initiate: our key pair, to send its public value and keep for the answer; null until run.</summary>
    internal KeyExchange? KeyPair { get; private set; }

    private protected override void Compute()
    {
        if (_ours is null)
        {
            var exchange = KeyExchange.CreateFromPrivateKey(_group, _privateKey);
            PublicValue = exchange.PublicValue;
            if (_peerPublicValue is null)
            {
                KeyPair = exchange;
                return;
            }

            using (exchange)
            {
                Derive(exchange, _peerPublicValue);
            }
        }
        else
        {
            Derive(_ours, _peerPublicValue!);
        }
    }

    private protected override void DiscardResult()
    {
        KeyPair?.Dispose();
        KeyPair = null;
        WipeKeys();
        if (SharedSecret is { } secret)
        {
            CryptographicOperations.ZeroMemory(secret);
            SharedSecret = null;
        }
    }

    private protected override void ReleaseInputs()
    {
        CryptographicOperations.ZeroMemory(_privateKey);
        _ours?.Dispose();
    }

    /// <summary>Our key pair, handed over (its taker disposes it).</summary>
    internal KeyExchange? TakeKeyPair()
    {
        var pair = KeyPair;
        KeyPair = null;
        return pair;
    }

    /// <summary>The shared secret, handed over (its taker wipes it).</summary>
    internal byte[]? TakeSharedSecret()
    {
        var secret = SharedSecret;
        SharedSecret = null;
        return secret;
    }

    /// <summary>
    /// Derives and keeps this kind's SA keys from the shared secret (on the computing thread; the caller wipes the secret
    /// when this returns true); false, the default, keeps the secret itself as the result. Not called when only our key
    /// pair is made.
    /// </summary>
    private protected virtual bool KeepKeys(byte[] sharedSecret) => false;

    /// <summary>Wipes the keys <see cref="KeepKeys"/> kept, when nobody took them.</summary>
    private protected virtual void WipeKeys()
    {
    }

    private void Derive(KeyExchange exchange, byte[] peerPublicValue)
    {
        if (!exchange.TryDeriveSharedSecret(peerPublicValue, out var secret))
        {
            return;
        }

        var wipe = true;
        try
        {
            if (!KeepKeys(secret))
            {
                SharedSecret = secret;
                wipe = false;
            }
        }
        finally
        {
            if (wipe)
            {
                CryptographicOperations.ZeroMemory(secret);
            }
        }
    }
}
