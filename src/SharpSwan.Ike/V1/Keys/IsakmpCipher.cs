using System.Security.Cryptography;

namespace SharpSwan.Ike.V1.Keys;

/// <summary>
/// The phase-1 cipher of an ISAKMP SA (RFC 2409 Appendix B): AES-CBC over everything after the header, zero
/// padding to the block size, the IV chained from the last ciphertext block of the previous message of the same
/// exchange. The caller keeps one IV per exchange (message ID) and passes it in; it is advanced only on success.
/// </summary>
public sealed class IsakmpCipher : IDisposable
{
    public const int AesBlockSize = 16;

    private readonly Aes _aes;

    public IsakmpCipher(ReadOnlySpan<byte> key)
    {
        if (key.Length is not (16 or 24 or 32))
        {
            throw new ArgumentException($"An AES key has 16, 24 or 32 octets, not {key.Length}.", nameof(key));
        }

        _aes = Aes.Create();
        _aes.Key = key.ToArray();
    }

    public int BlockSize => AesBlockSize;

    /// <summary>The phase-1 IV: hash(g^xi | g^xr) truncated to the block size.</summary>
    public static byte[] PhaseOneIv(Phase1HashAlgorithm hash, ReadOnlySpan<byte> publicI, ReadOnlySpan<byte> publicR) =>
        Phase1Hash.Digest(hash, publicI, publicR)[..AesBlockSize];

    /// <summary>The first IV of a quick mode or informational exchange: hash(last phase-1 CBC block | M-ID), truncated.</summary>
    public static byte[] PhaseTwoIv(Phase1HashAlgorithm hash, ReadOnlySpan<byte> lastPhaseOneBlock, uint messageId)
    {
        Span<byte> id = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(id, messageId);
        return Phase1Hash.Digest(hash, lastPhaseOneBlock, id)[..AesBlockSize];
    }

    /// <summary>Pads <paramref name="plaintext"/> with zeros to whole blocks, encrypts it and moves <paramref name="iv"/> to the last ciphertext block.</summary>
    public byte[] Encrypt(ReadOnlySpan<byte> plaintext, Span<byte> iv)
    {
        CheckIv(iv);
        int length = (plaintext.Length + AesBlockSize - 1) / AesBlockSize * AesBlockSize;
        var padded = new byte[Math.Max(length, AesBlockSize)];
        plaintext.CopyTo(padded);
        var ciphertext = _aes.EncryptCbc(padded, iv, PaddingMode.None);
        CryptographicOperations.ZeroMemory(padded);
        ciphertext.AsSpan(ciphertext.Length - AesBlockSize).CopyTo(iv);
        return ciphertext;
    }

    /// <summary>
    /// Decrypts a received body; false (IV unchanged) when it is not a whole number of blocks. CBC has no integrity:
    /// a wrong key shows up as a malformed chain or a failed HASH, which the caller checks.
    /// </summary>
    public bool TryDecrypt(ReadOnlySpan<byte> ciphertext, Span<byte> iv, out byte[] plaintext)
    {
        CheckIv(iv);
        if (ciphertext.IsEmpty || ciphertext.Length % AesBlockSize != 0)
        {
            plaintext = [];
            return false;
        }

        plaintext = _aes.DecryptCbc(ciphertext, iv, PaddingMode.None);
        ciphertext[^AesBlockSize..].CopyTo(iv);
        return true;
    }

    private static void CheckIv(Span<byte> iv)
    {
        if (iv.Length != AesBlockSize)
        {
            throw new ArgumentException($"The IV must be {AesBlockSize} octets.", nameof(iv));
        }
    }

    public void Dispose() => _aes.Dispose();
}
