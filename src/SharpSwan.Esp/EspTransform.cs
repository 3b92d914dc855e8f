using SharpSwan.Crypto;

namespace SharpSwan.Esp;

/// <summary>The negotiated algorithms of an ESP SA (IKEv2 transform types 1, 3 and 5).</summary>
/// <param name="Encryption">The cipher; AEAD suites carry their own integrity.</param>
/// <param name="KeyBits">128/192/256 for AES; 256 or 0 for ChaCha20-Poly1305.</param>
/// <param name="Integrity">None for AEAD suites, an HMAC for AES-CBC.</param>
/// <param name="ExtendedSequenceNumbers">64-bit sequence numbers (RFC 4303 §2.2.1, negotiated per RFC 4304 / RFC 7296).</param>
public sealed record EspTransform(EncryptionAlgorithm Encryption, int KeyBits, IntegrityAlgorithm Integrity, bool ExtendedSequenceNumbers = false)
{
    public static EspTransform AesGcm128 { get; } = new(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None);

    public static EspTransform AesGcm256 { get; } = new(EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None);

    public static EspTransform ChaCha20Poly1305 { get; } = new(EncryptionAlgorithm.ChaCha20Poly1305, 256, IntegrityAlgorithm.None);

    public static EspTransform AesCbc256Sha256 { get; } = new(EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha256_128);

    /// <summary>Bytes of encryption key material (key plus salt for AEAD suites) to take from KEYMAT.</summary>
    public int EncryptionKeyMaterialLength => PacketProtector.EncryptionKeyMaterialLength(Encryption, KeyBits);

    /// <summary>Bytes of integrity key to take from KEYMAT (0 for AEAD suites).</summary>
    public int IntegrityKeyLength => PacketProtector.IntegrityKeyLength(Integrity);

    public bool IsSupported => PacketProtector.IsSupported(Encryption, KeyBits, Integrity);
}
