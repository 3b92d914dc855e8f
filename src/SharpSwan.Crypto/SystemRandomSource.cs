using System.Security.Cryptography;

namespace SharpSwan.Crypto;

/// <summary>
/// The production random source: the operating system's CSPRNG through <see cref="RandomNumberGenerator"/>.
/// Thread-safe and allocation-free.
/// </summary>
public sealed class SystemRandomSource : IRandomSource
{
    public static SystemRandomSource Instance { get; } = new();

    private SystemRandomSource()
    {
    }

    public void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);

    public int NextInt32(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return RandomNumberGenerator.GetInt32(maxExclusive);
    }
}
