using System.Security.Cryptography;

namespace SharpSwan.Crypto;

/// <summary>
/// AES-CBC (RFC 3602), or for old peers 3DES-CBC (RFC 2451) or DES-CBC (RFC 2405), with a truncated HMAC ICV
/// (RFC 2403, RFC 2404, RFC 4868), encrypt-then-MAC. The ciphers are .NET's (OpenSSL underneath on Linux).
/// </summary>
/// <remarks>
/// .NET's one-shot <c>Aes.EncryptCbc</c> allocates on every call, so this class keeps one long-lived CBC encryptor
/// and one decryptor for the SA's lifetime and treats all packets as one continuous CBC stream. A transform carries
/// the last ciphertext block of the previous packet as its chaining value; folding "chain XOR IV" into the first
/// block makes the result exactly CBC with the packet's own IV. Both chaining values are tracked here.
/// </remarks>
internal sealed class CbcHmacPacketProtector : PacketProtector
{
    private const int MaxHashLength = 64;

    private readonly SymmetricAlgorithm _cipher;
    private readonly int _blockLength;
    private readonly IncrementalHash _hmac;
    private readonly IRandomSource _random;
    private readonly int _icvLength;
    private readonly byte[] _encryptChain;
    private readonly byte[] _decryptChain;
    private ICryptoTransform _encryptor;
    private ICryptoTransform _decryptor;
    private byte[] _scratch = new byte[2048];

    /// <remarks>
    /// .NET refuses the handful of known weak DES keys (and 3DES keys whose thirds repeat) with a
    /// CryptographicException; a derived key hits one with a probability of about 2^-52.
    /// </remarks>
    public CbcHmacPacketProtector(
        EncryptionAlgorithm encryption, ReadOnlySpan<byte> encryptionKey, IntegrityAlgorithm integrity, ReadOnlySpan<byte> integrityKey, IRandomSource random)
    {
        _cipher = encryption switch
        {
            EncryptionAlgorithm.TripleDes => TripleDES.Create(),
            EncryptionAlgorithm.Des => DES.Create(),
            _ => Aes.Create(),
        };
        _blockLength = _cipher.BlockSize / 8;
        _encryptChain = new byte[_blockLength];
        _decryptChain = new byte[_blockLength];

        // The cipher keeps its own copy of the key (cleared when it is disposed); ours goes at once.
        var key = encryptionKey.ToArray();
        try
        {
            _cipher.Key = key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        _cipher.Mode = CipherMode.CBC;
        _cipher.Padding = PaddingMode.None;
        (_encryptor, _decryptor) = CreateTransforms();

        _hmac = IncrementalHash.CreateHMAC(HmacHash(integrity), integrityKey);
        _icvLength = IcvLength(integrity);
        _random = random;
    }

    public override int IvSize => _blockLength;

    public override int IcvSize => _icvLength;

    public override int BlockSize => _blockLength;

    public override bool IsAead => false;

    internal override CryptoBackend Backend => CryptoBackend.Managed;

    private protected override void SealCore(Span<byte> message, int aadLength, int payloadLength, SequenceHigh high)
    {
        var iv = message.Slice(aadLength, _blockLength);
        _random.Fill(iv);
        var payload = message.Slice(aadLength + _blockLength, payloadLength);

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

            buffer.AsSpan(payloadLength - _blockLength, _blockLength).CopyTo(_encryptChain);
            buffer.AsSpan(0, payloadLength).CopyTo(payload);
        }

        var authenticatedLength = aadLength + _blockLength + payloadLength;
        var covered = AppendHighOrder(message, authenticatedLength, high);
        ComputeIcv(message[..covered], message.Slice(authenticatedLength, _icvLength));
    }

    private protected override bool TryOpenCore(Span<byte> message, int aadLength, int payloadLength, SequenceHigh high)
    {
        var authenticatedLength = aadLength + _blockLength + payloadLength;
        var icv = message.Slice(authenticatedLength, _icvLength);
        Span<byte> receivedIcv = stackalloc byte[_icvLength];
        icv.CopyTo(receivedIcv);
        Span<byte> expectedIcv = stackalloc byte[_icvLength];
        ComputeIcv(message[..AppendHighOrder(message, authenticatedLength, high)], expectedIcv);
        receivedIcv.CopyTo(icv);
        if (!CryptographicOperations.FixedTimeEquals(expectedIcv, receivedIcv))
        {
            return false;
        }

        if (payloadLength == 0)
        {
            return true;
        }

        var iv = message.Slice(aadLength, _blockLength);
        var payload = message.Slice(aadLength + _blockLength, payloadLength);
        var buffer = Scratch(payloadLength);
        payload.CopyTo(buffer);
        Span<byte> lastCipherBlock = stackalloc byte[_blockLength];
        payload[^_blockLength..].CopyTo(lastCipherBlock);

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
        for (var i = 0; i < iv.Length; i++)
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
        var initialChain = new byte[_blockLength];
        return (_cipher.CreateEncryptor(_cipher.Key, initialChain), _cipher.CreateDecryptor(_cipher.Key, initialChain));
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
        _cipher.Dispose();
        _hmac.Dispose();
        CryptographicOperations.ZeroMemory(_scratch);
        CryptographicOperations.ZeroMemory(_encryptChain);
        CryptographicOperations.ZeroMemory(_decryptChain);
    }
}
