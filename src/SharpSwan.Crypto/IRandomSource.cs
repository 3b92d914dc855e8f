namespace SharpSwan.Crypto;

/// <summary>
/// Where nonces, SPIs, IVs, ephemeral DH private keys and jitter come from. Injected so that a simulation can replay a
/// run from a seed, down to the bytes on the wire; production injects <see cref="SystemRandomSource"/> (the OS CSPRNG).
/// </summary>
public interface IRandomSource
{
    void Fill(Span<byte> destination);

    /// <summary>A uniformly distributed integer in [0, maxExclusive).</summary>
    int NextInt32(int maxExclusive);
}
