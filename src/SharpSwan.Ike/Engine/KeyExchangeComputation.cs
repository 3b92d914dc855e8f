using System.Security.Cryptography;
using SharpSwan.Crypto;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// The public-key work of answering an IKE_SA_INIT: our public value, the shared secret with the peer's, and the IKE SA's
/// keys from it. Everything it reads is copied in when the engine creates it (the private key was already drawn from the
/// engine's random source, in the engine's order), so <see cref="Run"/> may run on any thread; the engine takes the
/// result back on its own thread (<see cref="IkeEngine.CompleteComputation"/>), or throws it away, wiped, when the SA has
/// gone meanwhile. See <see cref="IIkeEngineHost.RunElsewhere"/>.
/// </summary>
public sealed class KeyExchangeComputation
{
    private readonly DiffieHellmanGroup _group;
    private readonly byte[] _privateKey;
    private readonly byte[] _peerPublicValue;
    private readonly byte[] _nonceInitiator;
    private readonly byte[] _nonceResponder;
    private readonly ulong _initiatorSpi;
    private readonly ulong _responderSpi;
    private int _ran;

    internal KeyExchangeComputation(IkeSa sa, IkeMessage request, Proposal proposal, IkeSuite suite, byte[] privateKey, byte[] peerPublicValue)
    {
        Sa = sa;
        Request = request;
        Proposal = proposal;
        Suite = suite;
        _group = suite.Group;
        _privateKey = privateKey;
        _peerPublicValue = peerPublicValue;
        _nonceInitiator = sa.NonceInitiator;
        _nonceResponder = sa.NonceResponder;
        _initiatorSpi = sa.InitiatorSpi;
        _responderSpi = sa.ResponderSpi;
    }

    /// <summary>The serial of the IKE SA this is for (diagnostics; the engine keeps the SA itself).</summary>
    public int SaSerial => Sa.Serial;

    internal IkeSa Sa { get; }

    internal IkeMessage Request { get; }

    internal Proposal Proposal { get; }

    internal IkeSuite Suite { get; }

    /// <summary>Our KE payload's data; set by <see cref="Run"/>.</summary>
    internal byte[] PublicValue { get; private set; } = [];

    /// <summary>The IKE SA's keys; null until <see cref="Run"/>, and after it when the peer's value was unusable.</summary>
    internal IkeSaKeys? Keys { get; private set; }

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
            using var exchange = KeyExchange.CreateFromPrivateKey(_group, _privateKey);
            PublicValue = exchange.PublicValue;
            if (exchange.TryDeriveSharedSecret(_peerPublicValue, out var secret))
            {
                Keys = IkeSaKeys.Derive(Suite, secret, _nonceInitiator, _nonceResponder, _initiatorSpi, _responderSpi, []);
                CryptographicOperations.ZeroMemory(secret);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(_privateKey);
            Volatile.Write(ref _ran, 2);
        }
    }

    /// <summary>Wipes what it holds: the SA it was for is gone, or the result could not be delivered.</summary>
    public void Discard()
    {
        Keys?.Wipe();
        Keys = null;
        if (Volatile.Read(ref _ran) != 1)
        {
            CryptographicOperations.ZeroMemory(_privateKey);
        }
    }

    /// <summary>The keys, handed over to the SA (they are its to wipe from now on).</summary>
    internal IkeSaKeys? TakeKeys()
    {
        var keys = Keys;
        Keys = null;
        return keys;
    }
}
