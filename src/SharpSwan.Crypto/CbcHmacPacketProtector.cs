using System.Security.Cryptography;

namespace SharpSwan.Crypto;

/// <summary>
/// AES-CBC (RFC 3602) with a truncated HMAC-SHA1/SHA2 ICV (RFC 2404, RFC 4868), encrypt-then-MAC.
/// </summary>
/// <remarks>
/// .NET's one-shot <c>Aes.EncryptCbc</c> allocates on every call, so this class keeps one long-lived CBC encryptor
/// and one decryptor for the SA's lifetime and treats all packets as one continuous CBC stream. A transform carries
/// the last ciphertext block of the previous packet as its chaining value; folding "chain XOR IV" into the first
/// block makes the result exactly CBC with the packet's own IV. Both chaining values are tracked here.
/// </remarks>
internal sealed class CbcHmacPacketProtector : PacketProtector
{
    private const int AesBlockLength = 16;
    private const int MaxHashLength = 64;

    private readonly Aes _aes;
    private readonly IncrementalHash _hmac;
    private readonly IRandomSource _random;
    private readonly int _icvLength;
    private readonly byte[] _encryptChain = new byte[AesBlockLength];
    private readonly byte[] _decryptChain = new byte[AesBlockLength];
    private ICryptoTransform _encryptor;
    private ICryptoTransform _decryptor;
    private byte[] _scratch = new byte[2048];

    public CbcHmacPacketProtector(ReadOnlySpan<byte> encryptionKey, IntegrityAlgorithm integrity, ReadOnlySpan<byte> integrityKey, IRandomSource random)
    {
        _aes = Aes.Create();
        // Aes keeps its own copy of the key (cleared when it is disposed); ours goes at once.
        var key = encryptionKey.ToArray();
        _aes.Key = key;
        CryptographicOperations.ZeroMemory(key);
        _aes.Mode = CipherMode.CBC;
        _aes.Padding = PaddingMode.None;
        (_encryptor, _decryptor) = CreateTransforms();

        var hash = integrity switch
        {
            IntegrityAlgorithm.HmacSha1_96 => HashAlgorithmName.SHA1,
            IntegrityAlgorithm.HmacSha256_128 => HashAlgorithmName.SHA256,
            IntegrityAlgorithm.HmacSha384_192 => HashAlgorithmName.SHA384,
            _ => HashAlgorithmName.SHA512,
        };
        _hmac = IncrementalHash.CreateHMAC(hash, integrityKey);
        _icvLength = IcvLength(integrity);
        _random = random;
    }

    public override int IvSize => AesBlockLength;

    public override int IcvSize => _icvLength;

    public override int BlockSize => AesBlockLength;

    public override bool IsAead => false;

    internal override CryptoBackend Backend => CryptoBackend.Managed;

    private protected override void SealCore(Span<byte> message, int aadLength, int payloadLength)
    {
        var iv = message.Slice(aadLength, AesBlockLength);
        _random.Fill(iv);
        var payload = message.Slice(aadLength + AesBlockLength, payloadLength);

        if (payloadLength > 0)
        {
            var buffer = Scratch(payloadLength);
            payload.CopyTo(buffer);
            XorInto(buffer, iv, _encryptChain);
            try
            {
                Transform(_encryptor, buffer, payloadLength);
            }
            catch (CryptographicException)
            {
                ResetTransforms();
                throw;
            }

            buffer.AsSpan(payloadLength - AesBlockLength, AesBlockLength).CopyTo(_encryptChain);
            buffer.AsSpan(0, payloadLength).CopyTo(payload);
        }

        var authenticatedLength = aadLength + AesBlockLength + payloadLength;
        ComputeIcv(message[..authenticatedLength], message.Slice(authenticatedLength, _icvLength));
    }

    private protected override bool TryOpenCore(Span<byte> message, int aadLength, int payloadLength)
    {
        var authenticatedLength = aadLength + AesBlockLength + payloadLength;
        Span<byte> expectedIcv = stackalloc byte[_icvLength];
        ComputeIcv(message[..authenticatedLength], expectedIcv);
        if (!CryptographicOperations.FixedTimeEquals(expectedIcv, message.Slice(authenticatedLength, _icvLength)))
        {
            return false;
        }

        if (payloadLength == 0)
        {
            return true;
        }

        var iv = message.Slice(aadLength, AesBlockLength);
        var payload = message.Slice(aadLength + AesBlockLength, payloadLength);
        var buffer = Scratch(payloadLength);
        payload.CopyTo(buffer);
        Span<byte> lastCipherBlock = stackalloc byte[AesBlockLength];
        payload[^AesBlockLength..].CopyTo(lastCipherBlock);

        try
        {
            Transform(_decryptor, buffer, payloadLength);
        }
        catch (CryptographicException)
        {
            // The transform's chaining state is unknown now; start a fresh stream rather than mis-decrypt later packets.
            ResetTransforms();
            return false;
        }

        XorInto(buffer, iv, _decryptChain);
        lastCipherBlock.CopyTo(_decryptChain);
        buffer.AsSpan(0, payloadLength).CopyTo(payload);
        return true;
    }

    private void ComputeIcv(ReadOnlySpan<byte> authenticated, Span<byte> icv)
    {
        Span<byte> mac = stackalloc byte[MaxHashLength];
        _hmac.AppendData(authenticated);
        var macLength = _hmac.GetHashAndReset(mac);
        mac[..icv.Length].CopyTo(icv);
        mac[..macLength].Clear();
    }

    private static void Transform(ICryptoTransform transform, byte[] buffer, int length)
    {
        var written = transform.TransformBlock(buffer, 0, length, buffer, 0);
        if (written != length)
        {
            throw new CryptographicException($"The CBC transform returned {written} of {length} bytes.");
        }
    }

    /// <summary>Corrects the first block for the transform's carried-over chaining value: block ^= iv ^ chain.</summary>
    private static void XorInto(byte[] buffer, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> chain)
    {
        for (var i = 0; i < AesBlockLength; i++)
        {
            buffer[i] ^= (byte)(iv[i] ^ chain[i]);
        }
    }

    private byte[] Scratch(int length)
    {
        if (_scratch.Length < length)
        {
            // Grows only when a larger message than ever before arrives, so steady state does not allocate.
            CryptographicOperations.ZeroMemory(_scratch);
            _scratch = new byte[Math.Max(length, _scratch.Length * 2)];
        }

        return _scratch;
    }

    private (ICryptoTransform Encryptor, ICryptoTransform Decryptor) CreateTransforms()
    {
        Span<byte> zero = stackalloc byte[AesBlockLength];
        var initialChain = zero.ToArray();
        return (_aes.CreateEncryptor(_aes.Key, initialChain), _aes.CreateDecryptor(_aes.Key, initialChain));
    }

    private void ResetTransforms()
    {
        _encryptor.Dispose();
        _decryptor.Dispose();
        (_encryptor, _decryptor) = CreateTransforms();
        Array.Clear(_encryptChain);
        Array.Clear(_decryptChain);
    }

    private protected override void DisposeCore()
    {
        _encryptor.Dispose();
        _decryptor.Dispose();
        _aes.Dispose();
        _hmac.Dispose();
        CryptographicOperations.ZeroMemory(_scratch);
        CryptographicOperations.ZeroMemory(_encryptChain);
        CryptographicOperations.ZeroMemory(_decryptChain);
    }
}
