namespace SharpSwan.Crypto.Tests;

/// <summary>Hands out the given byte strings in order, one per <see cref="Fill"/>, to steer what a generator draws.</summary>
internal sealed class ScriptedRandomSource(IReadOnlyList<byte[]> script) : IRandomSource
{
    public int Draws { get; private set; }

    public void Fill(Span<byte> destination)
    {
        var next = script[Draws++];
        Assert.Equal(next.Length, destination.Length);
        next.CopyTo(destination);
    }

    public int NextInt32(int maxExclusive) => throw new NotSupportedException();
}
