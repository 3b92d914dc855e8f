namespace SharpSwan.Ike.Engine;

/// <summary>
/// Public-key work of one exchange step that the engine hands to its host (<see cref="IIkeEngineHost.RunElsewhere"/>):
/// a Diffie-Hellman key exchange (<see cref="KeyExchangeComputation"/>), our signature (IKEv2's IKE_AUTH, IKEv1's
/// phase-1 SIG; <see cref="OwnAuthComputation"/>) or the check of the peer's (<see cref="PeerAuthComputation"/>). Everything it reads
/// is copied in, or handed over, when the engine creates it, so <see cref="Run"/> may run on any thread; the engine takes
/// the result back on its own thread (<see cref="IkeEngine.CompleteComputation"/>), or throws it away, wiped, when what it
/// was for has gone meanwhile. Each kind says what it is for and what is computed here.
/// </summary>
public abstract class EngineComputation
{
    // 0: not run, 1: running, 2: done (ran, or discarded before it ran).
    private int _ran;

    private protected EngineComputation(IkeSa sa) => Sa = sa;

    /// <summary>The serial of the IKE SA this is for (diagnostics; the engine keeps the SA itself).</summary>
    public int SaSerial => Sa.Serial;

    internal IkeSa Sa { get; }

    /// <summary>
    /// The engine waits for it no longer than this (set when it starts): then its SA fails as if the request it was for had
    /// gone unanswered, and a result that still comes is wiped.
    /// </summary>
    internal DateTimeOffset WaitDeadline { get; set; }

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
            Compute();
        }
        finally
        {
            ReleaseInputs();
            Volatile.Write(ref _ran, 2);
        }
    }

    /// <summary>Wipes what it holds: what it was for is gone, or the result could not be delivered. A later Run does nothing.</summary>
    public void Discard()
    {
        DiscardResult();
        if (Interlocked.CompareExchange(ref _ran, 2, 0) == 0)
        {
            ReleaseInputs();
        }
    }

    /// <summary>The work itself, on the computing thread; its result stays in the computation for the engine to take.</summary>
    private protected abstract void Compute();

    /// <summary>Wipes or lets go of the inputs (private keys, held credentials); called exactly once, run or not.</summary>
    private protected abstract void ReleaseInputs();

    /// <summary>Wipes a result the engine will not take.</summary>
    private protected abstract void DiscardResult();
}
