using SharpSwan.Crypto;

namespace SharpSwan.Testing;

/// <summary>Hands out prearranged bytes, so a test can choose the IVs a protector or an SA writes.</summary>
internal sealed class FixedRandomSource(params byte[][] chunks) : IRandomSource
{
    private readonly byte[] _bytes = chunks.SelectMany(c => c).ToArray();
    private int _position;

    public void Fill(Span<byte> destination)
    {
        if (_position + destination.Length > _bytes.Length)
        {
            throw new InvalidOperationException("The test supplied too few random bytes.");
        }

        _bytes.AsSpan(_position, destination.Length).CopyTo(destination);
        _position += destination.Length;
    }

    public int NextInt32(int maxExclusive) => throw new NotSupportedException();
}
