using BenchmarkDotNet.Attributes;
using SharpSwan.Crypto;

namespace SharpSwan.Esp.Bench;

/// <summary>
/// Per-packet cost of sealing and opening one ESP-sized message (8-byte header as AAD, payload, ICV) on the
/// OpenSSL libcrypto backend and on .NET's fallback, for figures printed next to <c>openssl speed</c>.
/// </summary>
/// <remarks>
/// Open copies the sealed message into a work buffer first (decryption is in place), so it includes one memcpy
/// of the message; Seal re-encrypts the same buffer in place, which costs the same as fresh plaintext.
/// </remarks>
[MemoryDiagnoser]
public class ProtectorBenchmarks
{
    private const int HeaderLength = 8;

    private PacketProtector _sender = null!;
    private PacketProtector _receiver = null!;
    private byte[] _sealBuffer = [];
    private byte[] _sealed = [];
    private byte[] _openBuffer = [];

    [Params(64, 1400)]
    public int PacketSize { get; set; }

    /// <summary>All four suites, or those named in SHARPSWAN_BENCH_SUITES (comma-separated; bench/run.sh uses aes128gcm).</summary>
    [ParamsSource(nameof(Suites))]
    public string Suite { get; set; } = "aes128gcm";

    [Params("openssl", "dotnet")]
    public string Backend { get; set; } = "openssl";

    public static IEnumerable<string> Suites =>
        Environment.GetEnvironmentVariable("SHARPSWAN_BENCH_SUITES")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        ?? ["aes128gcm", "aes256gcm", "chacha20poly1305", "aes256cbc-sha256"];

    [GlobalSetup]
    public void Setup()
    {
        var (encryption, keyBits, integrity) = Suite switch
        {
            "aes128gcm" => (EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None),
            "aes256gcm" => (EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None),
            "chacha20poly1305" => (EncryptionAlgorithm.ChaCha20Poly1305, 256, IntegrityAlgorithm.None),
            "aes256cbc-sha256" => (EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha256_128),
            _ => throw new InvalidOperationException($"unknown suite {Suite}"),
        };
        var backend = Backend == "openssl" ? CryptoBackend.OpenSsl : CryptoBackend.Managed;
        var random = new SeededRandomSource(2026);
        var keyMaterial = new byte[PacketProtector.EncryptionKeyMaterialLength(encryption, keyBits)];
        var integrityKey = new byte[PacketProtector.IntegrityKeyLength(integrity)];
        random.Fill(keyMaterial);
        random.Fill(integrityKey);
        _sender = PacketProtector.Create(encryption, keyBits, integrity, keyMaterial, integrityKey, random, backend);
        _receiver = PacketProtector.Create(encryption, keyBits, integrity, keyMaterial, integrityKey, random, backend);

        // The payload is the packet rounded up to the cipher's block, as ESP padding would do.
        var payloadLength = (PacketSize + _sender.BlockSize - 1) / _sender.BlockSize * _sender.BlockSize;
        _sealBuffer = new byte[HeaderLength + _sender.IvSize + payloadLength + _sender.IcvSize];
        random.Fill(_sealBuffer);
        _sealed = _sealBuffer.ToArray();
        _sender.Seal(_sealed, HeaderLength, payloadLength);
        _openBuffer = new byte[_sealed.Length];
        if (!Open())
        {
            throw new InvalidOperationException("the sealed message did not open");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender.Dispose();
        _receiver.Dispose();
    }

    [Benchmark]
    public void Seal() =>
        _sender.Seal(_sealBuffer, HeaderLength, _sealBuffer.Length - HeaderLength - _sender.IvSize - _sender.IcvSize);

    [Benchmark]
    public bool Open()
    {
        _sealed.CopyTo(_openBuffer, 0);
        return _receiver.TryOpen(_openBuffer, HeaderLength, _openBuffer.Length - HeaderLength - _receiver.IvSize - _receiver.IcvSize);
    }
}
