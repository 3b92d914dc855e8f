using SharpSwan.Crypto;

namespace SharpSwan.Esp.Tests;

internal static class Hex
{
    public static byte[] Parse(string hex) =>
        Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));
}

/// <summary>Hands out prearranged bytes, so a test can choose the IVs an SA writes.</summary>
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

internal static class Packets
{
    /// <summary>An IPv4-looking packet: version nibble 4, the rest filler.</summary>
    public static byte[] IPv4(int length, int seed = 0)
    {
        var packet = new byte[length];
        new Random(seed).NextBytes(packet);
        packet[0] = 0x45;
        return packet;
    }

    public static byte[] IPv6(int length, int seed = 0)
    {
        var packet = new byte[length];
        new Random(seed).NextBytes(packet);
        packet[0] = 0x60;
        return packet;
    }
}

/// <summary>An outbound and an inbound SA sharing keys, as the two ends of one child SA direction.</summary>
internal sealed class SaPair : IDisposable
{
    public const uint Spi = 0xc0ffee01;

    public SaPair(EspTransform transform, bool replayCheck = true, int windowSize = 1024, int seed = 3, TimeProvider? time = null)
    {
        var random = new SeededRandomSource(seed);
        EncryptionKey = new byte[transform.EncryptionKeyMaterialLength];
        IntegrityKey = new byte[transform.IntegrityKeyLength];
        random.Fill(EncryptionKey);
        random.Fill(IntegrityKey);
        Outbound = EspSecurityAssociation.CreateOutbound(Spi, transform, EncryptionKey, IntegrityKey, random, time);
        Inbound = EspSecurityAssociation.CreateInbound(Spi, transform, EncryptionKey, IntegrityKey, replayCheck, windowSize, random, time);
    }

    public byte[] EncryptionKey { get; }

    public byte[] IntegrityKey { get; }

    public EspSecurityAssociation Outbound { get; }

    public EspSecurityAssociation Inbound { get; }

    public byte[] Encapsulate(byte[] inner)
    {
        var buffer = new byte[inner.Length + Outbound.MaxOverhead];
        Assert.Equal(EspResult.Ok, Outbound.Encapsulate(inner, buffer, out var written));
        return buffer[..written];
    }

    public void Dispose()
    {
        Outbound.Dispose();
        Inbound.Dispose();
    }
}
