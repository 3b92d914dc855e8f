using System.Security.Cryptography;

namespace SharpSwan.Crypto;

/// <summary>
/// An IKEv2 pseudo-random function (HMAC-SHA1/SHA2) and the prf+ expansion of RFC 7296 §2.13.
/// Stateless and thread-safe.
/// </summary>
public sealed class Prf
{
    // prf+ appends a one-octet counter, so at most 255 blocks can be produced (RFC 7296 §2.13).
    private const int MaxExpandBlocks = 255;

    private static readonly Prf Md5 = new(PseudoRandomFunction.HmacMd5, HashAlgorithmName.MD5, 16);
    private static readonly Prf Sha1 = new(PseudoRandomFunction.HmacSha1, HashAlgorithmName.SHA1, 20);
    private static readonly Prf Sha256 = new(PseudoRandomFunction.HmacSha256, HashAlgorithmName.SHA256, 32);
    private static readonly Prf Sha384 = new(PseudoRandomFunction.HmacSha384, HashAlgorithmName.SHA384, 48);
    private static readonly Prf Sha512 = new(PseudoRandomFunction.HmacSha512, HashAlgorithmName.SHA512, 64);

    private readonly HashAlgorithmName _hash;

    private Prf(PseudoRandomFunction id, HashAlgorithmName hash, int outputSize)
    {
        Id = id;
        _hash = hash;
        OutputSize = outputSize;
    }

    public PseudoRandomFunction Id { get; }

    /// <summary>Length in bytes of one prf output.</summary>
    public int OutputSize { get; }

    /// <summary>Preferred key length (RFC 7296 §2.13: the HMAC PRFs take keys of their output size).</summary>
    public int KeySize => OutputSize;

    public static bool IsSupported(PseudoRandomFunction id) => id is PseudoRandomFunction.HmacMd5 or PseudoRandomFunction.HmacSha1
        or PseudoRandomFunction.HmacSha256 or PseudoRandomFunction.HmacSha384 or PseudoRandomFunction.HmacSha512;

    public static Prf Create(PseudoRandomFunction id) => id switch
    {
        PseudoRandomFunction.HmacMd5 => Md5,
        PseudoRandomFunction.HmacSha1 => Sha1,
        PseudoRandomFunction.HmacSha256 => Sha256,
        PseudoRandomFunction.HmacSha384 => Sha384,
        PseudoRandomFunction.HmacSha512 => Sha512,
        _ => throw new NotSupportedException($"PRF {id} is not supported."),
    };

    public byte[] Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        var result = new byte[OutputSize];
        Compute(key, data, result);
        return result;
    }

    /// <summary>Writes prf(key, data) to the first <see cref="OutputSize"/> bytes of <paramref name="destination"/>.</summary>
    public void Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (destination.Length < OutputSize)
        {
            throw new ArgumentException($"Destination must hold at least {OutputSize} bytes.", nameof(destination));
        }

        var output = destination[..OutputSize];
        _ = Id switch
        {
            PseudoRandomFunction.HmacMd5 => HMACMD5.HashData(key, data, output),
            PseudoRandomFunction.HmacSha1 => HMACSHA1.HashData(key, data, output),
            PseudoRandomFunction.HmacSha256 => HMACSHA256.HashData(key, data, output),
            PseudoRandomFunction.HmacSha384 => HMACSHA384.HashData(key, data, output),
            _ => HMACSHA512.HashData(key, data, output),
        };
    }

    /// <summary>
    /// prf+ (RFC 7296 §2.13): T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n); returns the first
    /// <paramref name="length"/> bytes of T1 | T2 | ...
    /// </summary>
    public byte[] Expand(ReadOnlySpan<byte> key, ReadOnlySpan<byte> seed, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxExpandBlocks * OutputSize);

        var result = new byte[length];
        if (length == 0)
        {
            return result;
        }

        using var hmac = IncrementalHash.CreateHMAC(_hash, key);
        Span<byte> block = stackalloc byte[OutputSize];
        Span<byte> counter = stackalloc byte[1];
        var written = 0;
        for (var n = 1; written < length; n++)
        {
            if (n > 1)
            {
                hmac.AppendData(block);
            }

            hmac.AppendData(seed);
            counter[0] = (byte)n;
            hmac.AppendData(counter);
            hmac.GetHashAndReset(block);

            var take = Math.Min(OutputSize, length - written);
            block[..take].CopyTo(result.AsSpan(written));
            written += take;
        }

        CryptographicOperations.ZeroMemory(block);
        return result;
    }
}
