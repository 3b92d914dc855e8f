using System.Security.Cryptography;

namespace SharpSwan.Crypto.Native;

/// <summary>
/// AES-GCM or ChaCha20-Poly1305 on one EVP_CIPHER_CTX keyed once per SA. A packet is five calls with no
/// allocation and no error-queue work on success: set nonce and direction, AAD, payload in place, final, tag.
/// </summary>
/// <remarks>
/// The direction is switched per call by re-initialising with only a nonce: both modes keep the key schedule of
/// the forward cipher for either direction (this is also how .NET drives the same context type).
/// </remarks>
internal sealed unsafe class OpenSslAeadCipher : IAeadCipher
{
    private const int NonceLength = 12;

    private readonly SafeCipherContextHandle _context;

    private OpenSslAeadCipher(SafeCipherContextHandle context)
    {
        _context = context;
    }

    public CryptoBackend Backend => CryptoBackend.OpenSsl;

    /// <summary>Keys a context for the suite, or returns null when libcrypto or the algorithm is not available.</summary>
    public static OpenSslAeadCipher? TryCreate(EncryptionAlgorithm encryption, ReadOnlySpan<byte> key)
    {
        var cipher = OpenSsl.Cipher(encryption == EncryptionAlgorithm.AesGcm16 ? $"AES-{key.Length * 8}-GCM" : "ChaCha20-Poly1305");
        if (cipher == 0)
        {
            return null;
        }

        var context = LibCrypto.EvpCipherCtxNew();
        fixed (byte* keyPointer = key)
        {
            if (context.IsInvalid || LibCrypto.EvpCipherInitKey(context, cipher, 0, keyPointer, null, 1) != 1)
            {
                LibCrypto.ErrClearError();
                context.Dispose();
                return null;
            }
        }

        return new OpenSslAeadCipher(context);
    }

    public void Encrypt(ReadOnlySpan<byte> nonce, Span<byte> payload, Span<byte> tag, ReadOnlySpan<byte> associatedData)
    {
        CheckSizes(nonce, tag);
        bool ok;
        using (var lease = new HandleLease(_context))
        {
            var context = lease.Pointer;
            var final = stackalloc byte[16];
            int finalLength;
            fixed (byte* n = nonce, p = payload, t = tag, a = associatedData)
            {
                ok = LibCrypto.EvpCipherInit(context, 0, 0, null, n, 1) == 1
                    && (associatedData.IsEmpty || LibCrypto.CipherUpdate(context, null, a, associatedData.Length) == 1)
                    && (payload.IsEmpty || LibCrypto.CipherUpdate(context, p, p, payload.Length) == 1)
                    && LibCrypto.EvpCipherFinal(context, final, &finalLength) == 1
                    && LibCrypto.EvpCipherCtxCtrl(context, LibCrypto.CtrlAeadGetTag, tag.Length, t) == 1;
            }
        }

        if (!ok)
        {
            LibCrypto.ErrClearError();
            throw new CryptographicException("OpenSSL refused to encrypt the packet.");
        }
    }

    public bool TryDecrypt(ReadOnlySpan<byte> nonce, Span<byte> payload, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> associatedData)
    {
        CheckSizes(nonce, tag);
        bool ok;
        using (var lease = new HandleLease(_context))
        {
            var context = lease.Pointer;
            var final = stackalloc byte[16];
            int finalLength;
            fixed (byte* n = nonce, p = payload, t = tag, a = associatedData)
            {
                // The final call compares the tag with CRYPTO_memcmp (constant time).
                ok = LibCrypto.EvpCipherInit(context, 0, 0, null, n, 0) == 1
                    && LibCrypto.EvpCipherCtxCtrl(context, LibCrypto.CtrlAeadSetTag, tag.Length, t) == 1
                    && (associatedData.IsEmpty || LibCrypto.CipherUpdate(context, null, a, associatedData.Length) == 1)
                    && (payload.IsEmpty || LibCrypto.CipherUpdate(context, p, p, payload.Length) == 1)
                    && LibCrypto.EvpCipherFinal(context, final, &finalLength) == 1;
            }
        }

        if (!ok)
        {
            LibCrypto.ErrClearError();
            payload.Clear();
        }

        return ok;
    }

    private static void CheckSizes(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> tag)
    {
        if (nonce.Length != NonceLength || tag.Length != AeadPacketProtector.TagLength)
        {
            throw new ArgumentException($"The AEAD needs a {NonceLength}-byte nonce and a {AeadPacketProtector.TagLength}-byte tag.");
        }
    }

    public void Dispose() => _context.Dispose();
}
