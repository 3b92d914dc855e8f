using SharpSwan.Crypto;

namespace SharpSwan.Ike.Keys;

/// <summary>Prints negotiated transforms the way FortiOS names proposals, for logs and diagnostics.</summary>
public static class SuiteNames
{
    public static string Ike(EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity, PseudoRandomFunction prf) =>
        encryption switch
        {
            EncryptionAlgorithm.AesGcm16 => $"aes{keyBits}gcm-prf{Hash(prf)}",
            EncryptionAlgorithm.ChaCha20Poly1305 => $"chacha20poly1305-prf{Hash(prf)}",
            _ => $"aes{keyBits}-{Hash(integrity)}",
        };

    public static string Esp(EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity) =>
        encryption switch
        {
            EncryptionAlgorithm.AesGcm16 => $"aes{keyBits}gcm",
            EncryptionAlgorithm.ChaCha20Poly1305 => "chacha20poly1305",
            _ => $"aes{keyBits}-{Hash(integrity)}",
        };

    public static string Cipher(EncryptionAlgorithm encryption) => encryption switch
    {
        EncryptionAlgorithm.AesGcm16 => "aes-gcm",
        EncryptionAlgorithm.ChaCha20Poly1305 => "chacha20poly1305",
        EncryptionAlgorithm.AesCbc => "aes",
        _ => "null",
    };

    public static string Hash(IntegrityAlgorithm integrity) => integrity switch
    {
        IntegrityAlgorithm.HmacSha1_96 => "sha1",
        IntegrityAlgorithm.HmacSha256_128 => "sha256",
        IntegrityAlgorithm.HmacSha384_192 => "sha384",
        IntegrityAlgorithm.HmacSha512_256 => "sha512",
        _ => "null",
    };

    public static string Hash(PseudoRandomFunction prf) => prf switch
    {
        PseudoRandomFunction.HmacSha1 => "sha1",
        PseudoRandomFunction.HmacSha256 => "sha256",
        PseudoRandomFunction.HmacSha384 => "sha384",
        PseudoRandomFunction.HmacSha512 => "sha512",
        _ => "null",
    };
}
