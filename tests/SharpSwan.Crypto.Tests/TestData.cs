using SharpSwan.Crypto;

namespace SharpSwan.Crypto.Tests;

internal static class Hex
{
    /// <summary>Parses hex that may contain spaces or line breaks, as vectors are printed in RFCs.</summary>
    public static byte[] Parse(string hex) =>
        Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));
}

/// <summary>Hands out prearranged bytes, so a test can choose the IV a protector writes.</summary>
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
