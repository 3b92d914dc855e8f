using System.Security.Cryptography;
using SharpSwan.Crypto;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// The public-key work of one exchange step: the Diffie-Hellman shared secret with the peer's value (and our own public
/// value first when we answer), and the SA keys derived from it where the step makes some
/// (<see cref="KeyExchangeComputation{TKeys}"/>). Everything it reads is copied in, or handed over, when the
/// engine creates it (a private key was already drawn from the engine's random source, in the engine's order), so
/// <see cref="Run"/> may run on any thread; the engine takes the result back on its own thread
/// (<see cref="IkeEngine.CompleteComputation"/>), or throws it away, wiped, when what it was for has gone meanwhile. Each
/// kind (IKEv2: IKE_SA_INIT, CREATE_CHILD_SA for a child or an IKE SA rekey; IKEv1: main mode, aggressive mode, quick
/// mode with PFS; as either end) says what it is for and what is derived here. See
/// <see cref="IIkeEngineHost.RunElsewhere"/>.
/// </summary>
public abstract class KeyExchangeComputation
{
    private readonly DiffieHellmanGroup _group;
    private readonly byte[] _privateKey;
    private readonly KeyExchange? _ours;
    private readonly byte[] _peerPublicValue;
    private int _ran;

    /// <summary>We answer: our key pair is built from <paramref name="privateKey"/> here (it is ours to wipe from now on).</summary>
    private protected KeyExchangeComputation(IkeSa sa, DiffieHellmanGroup group, byte[] privateKey, byte[] peerPublicValue)
    {
        Sa = sa;
        _group = group;
        _privateKey = privateKey;
        _peerPublicValue = peerPublicValue;
    }

    /// <summary>We sent our value already: <paramref name="ours"/> is handed over (disposed here, never touched by the engine again).</summary>
    private protected KeyExchangeComputation(IkeSa sa, KeyExchange ours, byte[] peerPublicValue)
    {
        Sa = sa;
        _group = ours.Group;
        _privateKey = [];
        _ours = ours;
        _peerPublicValue = peerPublicValue;
    }

    /// <summary>The serial of the IKE SA this is for (diagnostics; the engine keeps the SA itself).</summary>
    public int SaSerial => Sa.Serial;

    internal IkeSa Sa { get; }

    /// <summary>Our KE payload's data when we answer; set by <see cref="Run"/>.</summary>
    internal byte[] PublicValue { get; private set; } = [];

    /// <summary>
    /// The shared secret itself when no SA keys are derived here (a child SA's PFS: its keys come from it once the
    /// answer is checked, on the engine thread); null until <see cref="Run"/> or when the peer's value was unusable.
    /// </summary>
    internal byte[]? SharedSecret { get; private set; }

    /// <summary>True once <see cref="Run"/> has finished (the engine completes nothing that has not run).</summary>
    internal bool HasRun => Volatile.Read(ref _ran) == 2;

    /// <summary>Does the work; on any thread, once (a second call does nothing). Never throws for a bad peer value.</summary>
    public void Run()
    {
        if (Interlocked.CompareExchange(ref _ran, 1, 0) != 0)
        {
            return;
        }

        try
        {
            if (_ours is null)
            {
                using var exchange = KeyExchange.CreateFromPrivateKey(_group, _privateKey);
                PublicValue = exchange.PublicValue;
                Derive(exchange);
            }
            else
            {
                Derive(_ours);
            }
        }
        finally
        {
            WipeInputs();
            Volatile.Write(ref _ran, 2);
        }
    }

    /// <summary>Wipes what it holds: what it was for is gone, or the result could not be delivered. A later Run does nothing.</summary>
    public void Discard()
    {
        WipeKeys();
        if (SharedSecret is { } secret)
        {
            CryptographicOperations.ZeroMemory(secret);
            SharedSecret = null;
        }

        if (Interlocked.CompareExchange(ref _ran, 2, 0) == 0)
        {
            WipeInputs();
        }
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
    /// when this returns true); false, the default, keeps the secret itself as the result.
    /// </summary>
    private protected virtual bool KeepKeys(byte[] sharedSecret) => false;

    /// <summary>Wipes the keys <see cref="KeepKeys"/> kept, when nobody took them.</summary>
    private protected virtual void WipeKeys()
    {
    }

    private void Derive(KeyExchange exchange)
    {
        if (!exchange.TryDeriveSharedSecret(_peerPublicValue, out var secret))
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

    private void WipeInputs()
    {
        CryptographicOperations.ZeroMemory(_privateKey);
        _ours?.Dispose();
    }
}
