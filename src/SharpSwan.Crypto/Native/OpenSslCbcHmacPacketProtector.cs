using System.Security.Cryptography;

namespace SharpSwan.Crypto.Native;

/// <summary>
/// AES-CBC (RFC 3602) with a truncated HMAC ICV (RFC 2404, RFC 4868), encrypt-then-MAC, on libcrypto: one
/// encryption and one decryption context keyed once per SA (AES decrypts with its own key schedule), each packet
/// setting only its IV, and one HMAC context keyed once and re-initialised per packet from the stored key state.
/// </summary>
internal sealed unsafe class OpenSslCbcHmacPacketProtector : PacketProtector
{
    private const int AesBlockLength = 16;
    private const int MaxHashLength = 64;

    private readonly SafeCipherContextHandle _encryptor;
    private readonly SafeCipherContextHandle _decryptor;
    private readonly SafeMacContextHandle _hmac;
    private readonly IRandomSource _random;
    private readonly int _icvLength;

    private OpenSslCbcHmacPacketProtector(
        SafeCipherContextHandle encryptor, SafeCipherContextHandle decryptor, SafeMacContextHandle hmac, IRandomSource random, int icvLength)
    {
        _encryptor = encryptor;
        _decryptor = decryptor;
        _hmac = hmac;
        _random = random;
        _icvLength = icvLength;
    }

    public override int IvSize => AesBlockLength;

    public override int IcvSize => _icvLength;

    public override int BlockSize => AesBlockLength;

    public override bool IsAead => false;

    internal override CryptoBackend Backend => CryptoBackend.OpenSsl;

    /// <summary>Keys the contexts, or returns null when libcrypto or one of the algorithms is not available.</summary>
    public static OpenSslCbcHmacPacketProtector? TryCreate(
        ReadOnlySpan<byte> encryptionKey, IntegrityAlgorithm integrity, ReadOnlySpan<byte> integrityKey, IRandomSource random)
    {
        var cipher = OpenSsl.Cipher($"AES-{encryptionKey.Length * 8}-CBC");
        var mac = OpenSsl.Hmac;
        if (cipher == 0 || mac == 0)
        {
            return null;
        }

        var encryptor = CreateCipherContext(cipher, encryptionKey, encrypt: true);
        var decryptor = CreateCipherContext(cipher, encryptionKey, encrypt: false);
        var hmac = CreateHmacContext(mac, integrity, integrityKey);
        if (encryptor is null || decryptor is null || hmac is null)
        {
            encryptor?.Dispose();
            decryptor?.Dispose();
            hmac?.Dispose();
            return null;
        }

        return new OpenSslCbcHmacPacketProtector(encryptor, decryptor, hmac, random, IcvLength(integrity));
    }

    private protected override void SealCore(Span<byte> message, int aadLength, int payloadLength, SequenceHigh high)
    {
        var iv = message.Slice(aadLength, AesBlockLength);
        _random.Fill(iv);
        if (payloadLength > 0 && !TransformCbc(_encryptor, iv, message.Slice(aadLength + AesBlockLength, payloadLength), encrypt: true))
        {
            throw new CryptographicException("OpenSSL refused to encrypt the packet.");
        }

        // With ESN the high-order bits sit in the ICV slot for the one MAC update and are then overwritten by the ICV.
        var authenticatedLength = aadLength + AesBlockLength + payloadLength;
        var covered = AppendHighOrder(message, authenticatedLength, high);
        if (!ComputeIcv(message[..covered], message.Slice(authenticatedLength, _icvLength)))
        {
            throw new CryptographicException("OpenSSL refused to compute the HMAC.");
        }
    }

    private protected override bool TryOpenCore(Span<byte> message, int aadLength, int payloadLength, SequenceHigh high)
    {
        var authenticatedLength = aadLength + AesBlockLength + payloadLength;
        var icv = message.Slice(authenticatedLength, _icvLength);
        Span<byte> receivedIcv = stackalloc byte[_icvLength];
        icv.CopyTo(receivedIcv);
        Span<byte> expectedIcv = stackalloc byte[_icvLength];
        var computed = ComputeIcv(message[..AppendHighOrder(message, authenticatedLength, high)], expectedIcv);
        receivedIcv.CopyTo(icv);
        if (!computed || !CryptographicOperations.FixedTimeEquals(expectedIcv, receivedIcv))
        {
            return false;
        }

        return payloadLength == 0
            || TransformCbc(_decryptor, message.Slice(aadLength, AesBlockLength), message.Slice(aadLength + AesBlockLength, payloadLength), encrypt: false);
    }

    /// <summary>CBC over whole blocks in place; padding is off, so nothing is held back for a final call.</summary>
    private static bool TransformCbc(SafeCipherContextHandle handle, ReadOnlySpan<byte> iv, Span<byte> payload, bool encrypt)
    {
        bool ok;
        using (var lease = new HandleLease(handle))
        {
            var context = lease.Pointer;
            fixed (byte* i = iv, p = payload)
            {
                ok = LibCrypto.EvpCipherInit(context, 0, 0, null, i, encrypt ? 1 : 0) == 1
                    && LibCrypto.CipherUpdate(context, p, p, payload.Length) == 1;
            }
        }

        if (!ok)
        {
            LibCrypto.ErrClearError();
        }

        return ok;
    }

    private bool ComputeIcv(ReadOnlySpan<byte> authenticated, Span<byte> icv)
    {
        var mac = stackalloc byte[MaxHashLength];
        bool ok;
        using (var lease = new HandleLease(_hmac))
        {
            var context = lease.Pointer;
            nuint macLength;
            fixed (byte* data = authenticated)
            {
                // Initialising without a key restarts from the inner and outer states of the key set at creation.
                ok = LibCrypto.EvpMacInit(context, null, 0, null) == 1
                    && LibCrypto.MacUpdate(context, data, authenticated.Length) == 1
                    && LibCrypto.EvpMacFinal(context, mac, &macLength, MaxHashLength) == 1
                    && (int)macLength >= icv.Length;
            }
        }

        if (ok)
        {
            new ReadOnlySpan<byte>(mac, icv.Length).CopyTo(icv);
        }
        else
        {
            LibCrypto.ErrClearError();
        }

        new Span<byte>(mac, MaxHashLength).Clear();
        return ok;
    }

    private static SafeCipherContextHandle? CreateCipherContext(nint cipher, ReadOnlySpan<byte> key, bool encrypt)
    {
        var context = LibCrypto.EvpCipherCtxNew();
        fixed (byte* keyPointer = key)
        {
            if (!context.IsInvalid
                && LibCrypto.EvpCipherInitKey(context, cipher, 0, keyPointer, null, encrypt ? 1 : 0) == 1
                && LibCrypto.EvpCipherCtxSetPadding(context, 0) == 1)
            {
                return context;
            }
        }

        LibCrypto.ErrClearError();
        context.Dispose();
        return null;
    }

    private static SafeMacContextHandle? CreateHmacContext(nint mac, IntegrityAlgorithm integrity, ReadOnlySpan<byte> key)
    {
        var digest = integrity switch
        {
            IntegrityAlgorithm.HmacSha1_96 => "SHA1\0"u8,
            IntegrityAlgorithm.HmacSha256_128 => "SHA256\0"u8,
            IntegrityAlgorithm.HmacSha384_192 => "SHA384\0"u8,
            _ => "SHA512\0"u8,
        };
        var context = LibCrypto.EvpMacCtxNew(mac);
        fixed (byte* name = "digest\0"u8, value = digest, keyPointer = key)
        {
            var parameters = stackalloc LibCrypto.OsslParam[2];
            parameters[0] = new LibCrypto.OsslParam
            {
                Key = name,
                DataType = LibCrypto.OsslParam.Utf8String,
                Data = value,
                DataSize = (nuint)(digest.Length - 1),
                ReturnSize = nuint.MaxValue,
            };
            parameters[1] = default;
            if (!context.IsInvalid && LibCrypto.EvpMacInitKey(context, keyPointer, (nuint)key.Length, parameters) == 1)
            {
                return context;
            }
        }

        LibCrypto.ErrClearError();
        context.Dispose();
        return null;
    }

    private protected override void DisposeCore()
    {
        _encryptor.Dispose();
        _decryptor.Dispose();
        _hmac.Dispose();
    }
}
