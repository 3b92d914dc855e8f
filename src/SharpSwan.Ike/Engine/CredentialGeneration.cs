namespace SharpSwan.Ike.Engine;

/// <summary>
/// The local certificates and trusted CAs of one configuration load. A reload replaces them while a signature made or
/// checked on another thread (<see cref="OwnAuthComputation"/>, <see cref="PeerAuthComputation"/>) may still use them, so
/// they are disposed only once the engine and the last such work have let them go.
/// </summary>
internal sealed class CredentialGeneration(IReadOnlyList<IDisposable> parts)
{
    // The engine's own hold, plus one per computation that uses them.
    private int _holders = 1;

    /// <summary>One more user; on the engine thread, while the engine still holds this generation.</summary>
    public CredentialGeneration Hold()
    {
        Interlocked.Increment(ref _holders);
        return this;
    }

    /// <summary>A user is done (any thread); the last one disposes the credentials.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _holders) != 0)
        {
            return;
        }

        foreach (var part in parts)
        {
            part.Dispose();
        }
    }
}
