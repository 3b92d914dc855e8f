using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SharpSwan.Crypto;

namespace SharpSwan.Esp.Bench;

/// <summary>
/// Per-packet cost of ESP encapsulation and decapsulation for the transforms the gateway offers, next to a raw
/// AesGcm.Encrypt of the same plaintext size so the ESP overhead (framing, padding, counters) is visible.
/// </summary>
/// <remarks>
/// Decapsulate benchmarks copy the ESP packet into a work buffer first (decryption is in place), so they include
/// one memcpy of the packet; their inbound SAs run without a replay window, since the same packet repeats.
/// </remarks>
[MemoryDiagnoser]
public class EspBenchmarks
{
    private Case _aesGcm128 = null!;
    private Case _aesGcm256 = null!;
    private Case _chaCha20Poly1305 = null!;
    private Case _aesCbc256Sha256 = null!;
    private byte[] _inner = [];
    private AesGcm _rawAesGcm128 = null!;
    private AesGcm _rawAesGcm256 = null!;
    private byte[] _rawNonce = [];
    private byte[] _rawAad = [];
    private byte[] _rawOutput = [];
    private byte[] _rawTag = [];

    [Params(64, 1400)]
    public int PacketSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new SeededRandomSource(2024);
        _inner = new byte[PacketSize];
        random.Fill(_inner);
        _inner[0] = 0x45;

        _aesGcm128 = CreateCase(EspTransform.AesGcm128, random);
        _aesGcm256 = CreateCase(EspTransform.AesGcm256, random);
        _chaCha20Poly1305 = CreateCase(EspTransform.ChaCha20Poly1305, random);
        _aesCbc256Sha256 = CreateCase(EspTransform.AesCbc256Sha256, random);

        var key = new byte[32];
        random.Fill(key);
        _rawAesGcm128 = new AesGcm(key.AsSpan(0, 16), 16);
        _rawAesGcm256 = new AesGcm(key, 16);
        _rawNonce = new byte[12];
        _rawAad = new byte[8];
        _rawOutput = new byte[PacketSize];
        _rawTag = new byte[16];
    }

    private Case CreateCase(EspTransform transform, IRandomSource random)
    {
        var encryptionKey = new byte[transform.EncryptionKeyMaterialLength];
        var integrityKey = new byte[transform.IntegrityKeyLength];
        random.Fill(encryptionKey);
        random.Fill(integrityKey);
        var outbound = EspSecurityAssociation.CreateOutbound(0x1000, transform, encryptionKey, integrityKey, random);
        var inbound = EspSecurityAssociation.CreateInbound(
            0x1000, transform, encryptionKey, integrityKey, replayCheck: false, ReplayWindow.DefaultSize, random);

        var buffer = new byte[PacketSize + outbound.MaxOverhead];
        if (outbound.Encapsulate(_inner, buffer, out var written) != EspResult.Ok)
        {
            throw new InvalidOperationException($"Setup of {transform} failed.");
        }

        return new Case(outbound, inbound, buffer[..written], new byte[buffer.Length], new byte[written]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var c in new[] { _aesGcm128, _aesGcm256, _chaCha20Poly1305, _aesCbc256Sha256 })
        {
            c.Outbound.Dispose();
            c.Inbound.Dispose();
        }

        _rawAesGcm128.Dispose();
        _rawAesGcm256.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void RawAesGcm128Encrypt() => _rawAesGcm128.Encrypt(_rawNonce, _inner, _rawOutput, _rawTag, _rawAad);

    [Benchmark]
    public void RawAesGcm256Encrypt() => _rawAesGcm256.Encrypt(_rawNonce, _inner, _rawOutput, _rawTag, _rawAad);

    [Benchmark]
    public EspResult EncapsulateAesGcm128() => Encapsulate(_aesGcm128);

    [Benchmark]
    public EspResult DecapsulateAesGcm128() => Decapsulate(_aesGcm128);

    [Benchmark]
    public EspResult EncapsulateAesGcm256() => Encapsulate(_aesGcm256);

    [Benchmark]
    public EspResult DecapsulateAesGcm256() => Decapsulate(_aesGcm256);

    [Benchmark]
    public EspResult EncapsulateChaCha20Poly1305() => Encapsulate(_chaCha20Poly1305);

    [Benchmark]
    public EspResult DecapsulateChaCha20Poly1305() => Decapsulate(_chaCha20Poly1305);

    [Benchmark]
    public EspResult EncapsulateAesCbc256Sha256() => Encapsulate(_aesCbc256Sha256);

    [Benchmark]
    public EspResult DecapsulateAesCbc256Sha256() => Decapsulate(_aesCbc256Sha256);

    private EspResult Encapsulate(Case c) => c.Outbound.Encapsulate(_inner, c.EncapsulateBuffer, out _);

    private static EspResult Decapsulate(Case c)
    {
        c.Packet.CopyTo(c.DecapsulateBuffer, 0);
        return c.Inbound.Decapsulate(c.DecapsulateBuffer, out _, out _, out _);
    }

    private sealed record Case(
        EspSecurityAssociation Outbound,
        EspSecurityAssociation Inbound,
        byte[] Packet,
        byte[] EncapsulateBuffer,
        byte[] DecapsulateBuffer);
}
