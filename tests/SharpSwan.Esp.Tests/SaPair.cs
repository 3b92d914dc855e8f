using SharpSwan.Crypto;
using SharpSwan.Esp;

namespace SharpSwan.Esp.Tests;

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
