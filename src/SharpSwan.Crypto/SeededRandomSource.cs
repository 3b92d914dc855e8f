namespace SharpSwan.Crypto;

/// <summary>
/// A deterministic random source for simulations and tests: the same seed yields the same sequence on every run.
/// </summary>
/// <remarks>
/// NOT cryptographically strong: anyone who sees a few outputs can predict the rest. Never use it for keys, nonces,
/// SPIs or IVs of real traffic. Not thread-safe (a simulation drives it from one thread).
/// </remarks>
public sealed class SeededRandomSource : IRandomSource
{
    private readonly Random _random;

    public SeededRandomSource(int seed)
    {
        // The seeded constructor uses the legacy algorithm, whose sequence is stable across .NET versions.
        _random = new Random(seed);
    }

    public void Fill(Span<byte> destination) => _random.NextBytes(destination);

    public int NextInt32(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return _random.Next(maxExclusive);
    }
}
