using SharpSwan.Crypto.Native;

namespace SharpSwan.Crypto;

/// <summary>
/// Confidentiality and integrity for one direction of one SA, shared by the IKE SK payload (RFC 7296 §3.14,
/// RFC 5282) and ESP (RFC 4303). A message buffer is laid out as
/// <c>[0, aadLength)</c> authenticated header | IV (<see cref="IvSize"/>) | payload (already padded by the caller)
/// | ICV (<see cref="IcvSize"/>).
/// </summary>
/// <remarks>
/// AEAD suites (AES-GCM-16, RFC 4106; ChaCha20-Poly1305, RFC 7634) take their 4-byte salt from the end of the
/// encryption key material, use salt | IV as the nonce and the header as AAD. AES-CBC suites use a random IV and
/// encrypt-then-MAC: the ICV is the truncated HMAC over header | IV | ciphertext.
/// With ESP extended sequence numbers (RFC 4303 §2.2.1) the high-order 32 bits of the sequence number are
/// authenticated but never sent: AEAD suites insert them into the AAD before the header's last four bytes, the
/// low-order sequence number (SPI | high | low, RFC 4106 §5, RFC 7634 §2.1); HMAC suites append them after the
/// ciphertext (RFC 4303 §3.3.2.1), written into the ICV slot for the one MAC call and overwritten by the ICV.
/// An instance keeps its cipher and MAC objects for its lifetime, so Seal and TryOpen do not allocate. It is NOT
/// thread-safe: one thread at a time may use it (an SA direction is processed by one worker).
/// </remarks>
public abstract class PacketProtector : IDisposable
{
    private const int AeadSaltLength = 4;

    private bool _disposed;

    private protected PacketProtector()
    {
    }

    /// <summary>Length of the explicit IV written after the authenticated header.</summary>
    public abstract int IvSize { get; }

    /// <summary>Length of the integrity check value at the end of the message.</summary>
    public abstract int IcvSize { get; }

    /// <summary>The payload length must be a multiple of this (16 for AES-CBC, 1 for AEAD suites).</summary>
    public abstract int BlockSize { get; }

    public abstract bool IsAead { get; }

    /// <summary>The implementation this protector runs on (OpenSSL directly, or .NET as the fallback).</summary>
    internal abstract CryptoBackend Backend { get; }

    /// <summary>
    /// Writes a fresh IV, encrypts the payload in place and writes the ICV. Only the first
    /// aadLength + IvSize + payloadLength + IcvSize bytes of <paramref name="message"/> are used.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths do not fit the buffer or the block size (a caller bug).</exception>
    public void Seal(Span<byte> message, int aadLength, int payloadLength) =>
        Seal(message, aadLength, payloadLength, SequenceHigh.None);

    /// <summary>
    /// <see cref="Seal(Span{byte}, int, int)"/> for an ESP packet (header SPI | low-order sequence number) whose
    /// sequence number's high-order bits <paramref name="high"/> are authenticated too (extended sequence numbers).
    /// </summary>
    public void Seal(Span<byte> message, int aadLength, int payloadLength, SequenceHigh high)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!LengthsFit(message.Length, aadLength, payloadLength, high))
        {
            throw new ArgumentException(
                $"A message of {message.Length} bytes cannot hold {aadLength} header, {IvSize} IV, {payloadLength} payload "
                + $"(a multiple of {BlockSize}) and {IcvSize} ICV bytes.");
        }

        SealCore(message, aadLength, payloadLength, high);
    }

    /// <summary>
    /// Verifies the ICV (in constant time) and decrypts the payload in place. Returns false for any failure,
    /// including lengths that do not fit; never throws for bad input. After a failure the payload bytes are
    /// unspecified.
    /// </summary>
    public bool TryOpen(Span<byte> message, int aadLength, int payloadLength) =>
        TryOpen(message, aadLength, payloadLength, SequenceHigh.None);

    /// <summary><see cref="TryOpen(Span{byte}, int, int)"/> with the high-order sequence bits the receiver inferred.</summary>
    public bool TryOpen(Span<byte> message, int aadLength, int payloadLength, SequenceHigh high)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return LengthsFit(message.Length, aadLength, payloadLength, high) && TryOpenCore(message, aadLength, payloadLength, high);
    }

    // With ESN the header must be the ESP one (SPI | low-order bits) and the ICV slot must hold the appended bits.
    private bool LengthsFit(int messageLength, int aadLength, int payloadLength, SequenceHigh high) =>
        aadLength >= 0
        && (!high.Present || (aadLength == SequenceHigh.EspHeaderLength && IcvSize >= SequenceHigh.Length))
        && payloadLength >= 0
        && payloadLength % BlockSize == 0
        && (long)aadLength + IvSize + payloadLength + IcvSize <= messageLength;

    private protected abstract void SealCore(Span<byte> message, int aadLength, int payloadLength, SequenceHigh high);

    private protected abstract bool TryOpenCore(Span<byte> message, int aadLength, int payloadLength, SequenceHigh high);

    /// <summary>
    /// For an HMAC suite: the length of what the ICV covers, after writing the high-order sequence bits (if any) at
    /// <paramref name="authenticatedLength"/>, the start of the ICV slot (RFC 4303 §3.3.2.1: appended, not sent).
    /// </summary>
    private protected static int AppendHighOrder(Span<byte> message, int authenticatedLength, SequenceHigh high)
    {
        if (!high.Present)
        {
            return authenticatedLength;
        }

        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(message.Slice(authenticatedLength, SequenceHigh.Length), high.Value);
        return authenticatedLength + SequenceHigh.Length;
    }

    /// <summary>
    /// Creates a protector. For AEAD suites <paramref name="integrity"/> must be None and
    /// <paramref name="integrityKey"/> empty; for AES-CBC an HMAC integrity algorithm is required.
    /// </summary>
    /// <exception cref="ArgumentException">Unsupported combination or key material of the wrong length.</exception>
    public static PacketProtector Create(
        EncryptionAlgorithm encryption,
        int keyBits,
        IntegrityAlgorithm integrity,
        ReadOnlySpan<byte> encryptionKeyMaterial,
        ReadOnlySpan<byte> integrityKey,
        IRandomSource random) =>
        Create(encryption, keyBits, integrity, encryptionKeyMaterial, integrityKey, random, CryptoBackend.Preferred);

    /// <summary>
    /// One of several protectors on the same key, each used by its own thread (the data plane's per-worker outbound
    /// lanes): an AEAD suite's IVs come from partition <paramref name="ivPartition"/>'s range only, so no two of them ever
    /// use one IV; CBC suites draw every IV at random anyway.
    /// </summary>
    public static PacketProtector Create(
        EncryptionAlgorithm encryption,
        int keyBits,
        IntegrityAlgorithm integrity,
        ReadOnlySpan<byte> encryptionKeyMaterial,
        ReadOnlySpan<byte> integrityKey,
        IRandomSource random,
        int ivPartition) =>
        Create(encryption, keyBits, integrity, encryptionKeyMaterial, integrityKey, random, CryptoBackend.Preferred, ivPartition);

    /// <summary>
    /// <see cref="Create(EncryptionAlgorithm, int, IntegrityAlgorithm, ReadOnlySpan{byte}, ReadOnlySpan{byte}, IRandomSource, int)"/>
    /// with the AEAD IV counter's start drawn earlier (<see cref="DrawIvStart"/>): an outbound SA draws one per lane when it is
    /// installed and creates a lane's protector only when that lane first sends, on the lane's own thread, without touching
    /// <paramref name="random"/> (which CBC suites still use for every IV, and which a simulation drives from one thread).
    /// </summary>
    public static PacketProtector Create(
        EncryptionAlgorithm encryption,
        int keyBits,
        IntegrityAlgorithm integrity,
        ReadOnlySpan<byte> encryptionKeyMaterial,
        ReadOnlySpan<byte> integrityKey,
        IRandomSource random,
        int ivPartition,
        ulong ivStart) =>
        Create(encryption, keyBits, integrity, encryptionKeyMaterial, integrityKey, random, CryptoBackend.Preferred, ivPartition, ivStart);

    /// <summary>8 random bytes for <see cref="Create(EncryptionAlgorithm, int, IntegrityAlgorithm, ReadOnlySpan{byte}, ReadOnlySpan{byte}, IRandomSource, int, ulong)"/>.</summary>
    public static ulong DrawIvStart(IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<byte> start = stackalloc byte[sizeof(ulong)];
        random.Fill(start);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(start);
    }

    /// <summary>
    /// <see cref="Create(EncryptionAlgorithm, int, IntegrityAlgorithm, ReadOnlySpan{byte}, ReadOnlySpan{byte}, IRandomSource)"/>
    /// on a chosen implementation: tests and benchmarks compare the two.
    /// </summary>
    /// <exception cref="NotSupportedException">OpenSSL was asked for and libcrypto (or the algorithm) is not available.</exception>
    internal static PacketProtector Create(
        EncryptionAlgorithm encryption,
        int keyBits,
        IntegrityAlgorithm integrity,
        ReadOnlySpan<byte> encryptionKeyMaterial,
        ReadOnlySpan<byte> integrityKey,
        IRandomSource random,
        CryptoBackend backend,
        int ivPartition = -1,
        ulong? ivStart = null)
    {
        ArgumentNullException.ThrowIfNull(random);
        CheckKeys(encryption, keyBits, integrity, encryptionKeyMaterial.Length, integrityKey.Length);
        if (IsAeadAlgorithm(encryption))
        {
            var keyLength = encryptionKeyMaterial.Length - AeadSaltLength;
            var cipher = CreateAeadCipher(encryption, encryptionKeyMaterial[..keyLength], backend);
            return ivStart is { } start
                ? new AeadPacketProtector(cipher, encryptionKeyMaterial[keyLength..], start, ivPartition)
                : new AeadPacketProtector(cipher, encryptionKeyMaterial[keyLength..], random, ivPartition);
        }

        if (encryption == EncryptionAlgorithm.Null)
        {
            return new NullHmacPacketProtector(integrity, integrityKey);
        }

        // The legacy ciphers (3DES, DES) and HMAC-MD5 run on .NET only: they are for old peers, not for speed.
        var legacy = encryption != EncryptionAlgorithm.AesCbc || integrity == IntegrityAlgorithm.HmacMd5_96;
        if (backend != CryptoBackend.Managed)
        {
            var native = legacy ? null : OpenSslCbcHmacPacketProtector.TryCreate(encryptionKeyMaterial, integrity, integrityKey, random);
            if (native is not null)
            {
                return native;
            }

            RefuseMissingOpenSsl(backend, encryption);
        }

        return new CbcHmacPacketProtector(encryption, encryptionKeyMaterial, integrity, integrityKey, random);
    }

    /// <summary>
    /// Throws what <see cref="Create(EncryptionAlgorithm, int, IntegrityAlgorithm, ReadOnlySpan{byte}, ReadOnlySpan{byte}, IRandomSource)"/>
    /// would for this suite and these key lengths, without creating anything: an SA whose protectors are created later
    /// refuses bad keys when it is installed.
    /// </summary>
    /// <exception cref="ArgumentException">Unsupported combination or key material of the wrong length.</exception>
    public static void CheckKeys(EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity, int encryptionKeyMaterialLength, int integrityKeyLength)
    {
        var expectedKeyMaterial = EncryptionKeyMaterialLength(encryption, keyBits);
        if (encryptionKeyMaterialLength != expectedKeyMaterial)
        {
            throw new ArgumentException(
                $"{encryption} with {keyBits}-bit keys needs {expectedKeyMaterial} bytes of key material, got {encryptionKeyMaterialLength}.",
                nameof(encryptionKeyMaterialLength));
        }

        if (IsAeadAlgorithm(encryption))
        {
            if (integrity != IntegrityAlgorithm.None || integrityKeyLength != 0)
            {
                throw new ArgumentException($"{encryption} is an AEAD suite and takes no separate integrity algorithm.", nameof(integrity));
            }

            return;
        }

        if (integrity == IntegrityAlgorithm.None || !IsSupported(encryption, keyBits, integrity))
        {
            throw new ArgumentException($"{encryption} needs a supported integrity algorithm (encryption-only SAs are not supported).", nameof(integrity));
        }

        var expectedIntegrityKey = IntegrityKeyLength(integrity);
        if (integrityKeyLength != expectedIntegrityKey)
        {
            throw new ArgumentException(
                $"{integrity} needs a {expectedIntegrityKey}-byte key, got {integrityKeyLength}.", nameof(integrityKeyLength));
        }
    }

    /// <summary>
    /// <see cref="IvSize"/> and <see cref="BlockSize"/> of the protectors <see cref="Create(EncryptionAlgorithm, int, IntegrityAlgorithm, ReadOnlySpan{byte}, ReadOnlySpan{byte}, IRandomSource)"/>
    /// makes for a suite (their <see cref="IcvSize"/> is <see cref="IcvLength(EncryptionAlgorithm, IntegrityAlgorithm)"/>),
    /// known before any is created: 8 and 1 for AEAD suites, the cipher block for CBC ones (AES 16, DES and 3DES 8), none
    /// for NULL encryption.
    /// </summary>
    public static (int IvSize, int BlockSize) Geometry(EncryptionAlgorithm encryption) => encryption switch
    {
        EncryptionAlgorithm.AesGcm16 or EncryptionAlgorithm.ChaCha20Poly1305 => (8, 1),
        EncryptionAlgorithm.AesCbc => (16, 16),
        EncryptionAlgorithm.TripleDes or EncryptionAlgorithm.Des => (8, 8),
        EncryptionAlgorithm.Null => (0, 1),
        _ => throw new ArgumentException($"Encryption algorithm {encryption} is not supported.", nameof(encryption)),
    };

    private static IAeadCipher CreateAeadCipher(EncryptionAlgorithm encryption, ReadOnlySpan<byte> key, CryptoBackend backend)
    {
        if (backend != CryptoBackend.Managed)
        {
            var native = OpenSslAeadCipher.TryCreate(encryption, key);
            if (native is not null)
            {
                return native;
            }

            RefuseMissingOpenSsl(backend, encryption);
        }

        return new ManagedAeadCipher(encryption, key);
    }

    private static void RefuseMissingOpenSsl(CryptoBackend backend, EncryptionAlgorithm encryption)
    {
        if (backend == CryptoBackend.OpenSsl)
        {
            throw new NotSupportedException($"{encryption} is not available from OpenSSL's libcrypto ({LibCrypto.Library}) here.");
        }
    }

    /// <summary>True when <see cref="Create"/> accepts this combination.</summary>
    public static bool IsSupported(EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity)
    {
        if (!IsValidKeyBits(encryption, keyBits))
        {
            return false;
        }

        return IsAeadAlgorithm(encryption)
            ? integrity == IntegrityAlgorithm.None
            : integrity is IntegrityAlgorithm.HmacMd5_96 or IntegrityAlgorithm.HmacSha1_96 or IntegrityAlgorithm.HmacSha256_128
                or IntegrityAlgorithm.HmacSha384_192 or IntegrityAlgorithm.HmacSha512_256;
    }

    /// <summary>
    /// The algorithms kept only for old peers (DES, 3DES, NULL encryption, HMAC-MD5): negotiable, with a warning in
    /// configuration that they are weak.
    /// </summary>
    public static bool IsWeak(EncryptionAlgorithm encryption) =>
        encryption is EncryptionAlgorithm.Des or EncryptionAlgorithm.TripleDes or EncryptionAlgorithm.Null;

    /// <inheritdoc cref="IsWeak(EncryptionAlgorithm)"/>
    public static bool IsWeak(IntegrityAlgorithm integrity) => integrity == IntegrityAlgorithm.HmacMd5_96;

    /// <summary>The hash an HMAC integrity algorithm truncates.</summary>
    internal static System.Security.Cryptography.HashAlgorithmName HmacHash(IntegrityAlgorithm integrity) => integrity switch
    {
        IntegrityAlgorithm.HmacMd5_96 => System.Security.Cryptography.HashAlgorithmName.MD5,
        IntegrityAlgorithm.HmacSha1_96 => System.Security.Cryptography.HashAlgorithmName.SHA1,
        IntegrityAlgorithm.HmacSha256_128 => System.Security.Cryptography.HashAlgorithmName.SHA256,
        IntegrityAlgorithm.HmacSha384_192 => System.Security.Cryptography.HashAlgorithmName.SHA384,
        IntegrityAlgorithm.HmacSha512_256 => System.Security.Cryptography.HashAlgorithmName.SHA512,
        _ => throw new ArgumentException($"Integrity algorithm {integrity} is not an HMAC.", nameof(integrity)),
    };

    public static bool IsAeadAlgorithm(EncryptionAlgorithm encryption) =>
        encryption is EncryptionAlgorithm.AesGcm16 or EncryptionAlgorithm.ChaCha20Poly1305;

    /// <summary>
    /// Bytes of encryption key material to take from the key derivation: the key for AES-CBC (3DES: 24, DES: 8,
    /// NULL: none; RFC 2451 §2.3 and RFC 2405 take the parity bits as part of the key), the key plus a
    /// 4-byte salt for AES-GCM (RFC 4106 §8.1) and ChaCha20-Poly1305 (RFC 7634 §2, 32 + 4).
    /// </summary>
    /// <param name="keyBits">128, 192 or 256 for AES; 256 (or 0, as IKE sends no key length) for ChaCha20-Poly1305;
    /// 192 for 3DES, 64 for DES, 0 for NULL.</param>
    public static int EncryptionKeyMaterialLength(EncryptionAlgorithm encryption, int keyBits)
    {
        if (!IsValidKeyBits(encryption, keyBits))
        {
            throw new ArgumentException($"{encryption} with {keyBits}-bit keys is not supported.", nameof(keyBits));
        }

        return encryption switch
        {
            EncryptionAlgorithm.AesCbc or EncryptionAlgorithm.TripleDes or EncryptionAlgorithm.Des => keyBits / 8,
            EncryptionAlgorithm.Null => 0,
            EncryptionAlgorithm.AesGcm16 => (keyBits / 8) + AeadSaltLength,
            _ => 32 + AeadSaltLength,
        };
    }

    /// <summary>HMAC key length for the integrity algorithm (RFC 4868: the hash output size); 0 for None.</summary>
    public static int IntegrityKeyLength(IntegrityAlgorithm integrity) => integrity switch
    {
        IntegrityAlgorithm.None => 0,
        IntegrityAlgorithm.HmacMd5_96 => 16,
        IntegrityAlgorithm.HmacSha1_96 => 20,
        IntegrityAlgorithm.HmacSha256_128 => 32,
        IntegrityAlgorithm.HmacSha384_192 => 48,
        IntegrityAlgorithm.HmacSha512_256 => 64,
        _ => throw new ArgumentException($"Integrity algorithm {integrity} is not supported.", nameof(integrity)),
    };

    /// <summary>Truncated ICV length of an HMAC integrity algorithm (RFC 2404, RFC 4868).</summary>
    public static int IcvLength(IntegrityAlgorithm integrity) => integrity switch
    {
        IntegrityAlgorithm.HmacMd5_96 => 12,
        IntegrityAlgorithm.HmacSha1_96 => 12,
        IntegrityAlgorithm.HmacSha256_128 => 16,
        IntegrityAlgorithm.HmacSha384_192 => 24,
        IntegrityAlgorithm.HmacSha512_256 => 32,
        _ => throw new ArgumentException($"Integrity algorithm {integrity} has no ICV.", nameof(integrity)),
    };

    /// <summary>ICV length of a whole suite: the 16-byte tag for AEAD suites, the truncated HMAC otherwise.</summary>
    public static int IcvLength(EncryptionAlgorithm encryption, IntegrityAlgorithm integrity) =>
        IsAeadAlgorithm(encryption) ? AeadPacketProtector.TagLength : IcvLength(integrity);

    private static bool IsValidKeyBits(EncryptionAlgorithm encryption, int keyBits) => encryption switch
    {
        EncryptionAlgorithm.AesCbc or EncryptionAlgorithm.AesGcm16 => keyBits is 128 or 192 or 256,
        EncryptionAlgorithm.ChaCha20Poly1305 => keyBits is 0 or 256,
        EncryptionAlgorithm.TripleDes => keyBits == 192,
        EncryptionAlgorithm.Des => keyBits == 64,
        EncryptionAlgorithm.Null => keyBits == 0,
        _ => false,
    };

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        DisposeCore();
        GC.SuppressFinalize(this);
    }

    private protected abstract void DisposeCore();
}
