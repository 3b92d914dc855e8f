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
            _ => $"{CbcCipher(encryption, keyBits)}-{Hash(integrity)}",
        };

    public static string Esp(EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity) =>
        encryption switch
        {
            EncryptionAlgorithm.AesGcm16 => $"aes{keyBits}gcm",
            EncryptionAlgorithm.ChaCha20Poly1305 => "chacha20poly1305",
            _ => $"{CbcCipher(encryption, keyBits)}-{Hash(integrity)}",
        };

    public static string Cipher(EncryptionAlgorithm encryption) => encryption switch
    {
        EncryptionAlgorithm.AesGcm16 => "aes-gcm",
        EncryptionAlgorithm.ChaCha20Poly1305 => "chacha20poly1305",
        EncryptionAlgorithm.AesCbc => "aes",
        EncryptionAlgorithm.TripleDes => "3des",
        EncryptionAlgorithm.Des => "des",
        _ => "null",
    };

    /// <summary>The cipher half of a FortiOS proposal name: aes128, 3des, des, null.</summary>
    private static string CbcCipher(EncryptionAlgorithm encryption, int keyBits) =>
        encryption == EncryptionAlgorithm.AesCbc ? $"aes{keyBits}" : Cipher(encryption);

    public static string Hash(IntegrityAlgorithm integrity) => integrity switch
    {
        IntegrityAlgorithm.HmacMd5_96 => "md5",
        IntegrityAlgorithm.HmacSha1_96 => "sha1",
        IntegrityAlgorithm.HmacSha256_128 => "sha256",
        IntegrityAlgorithm.HmacSha384_192 => "sha384",
        IntegrityAlgorithm.HmacSha512_256 => "sha512",
        _ => "null",
    };

    public static string Hash(PseudoRandomFunction prf) => prf switch
    {
        PseudoRandomFunction.HmacMd5 => "md5",
        PseudoRandomFunction.HmacSha1 => "sha1",
        PseudoRandomFunction.HmacSha256 => "sha256",
        PseudoRandomFunction.HmacSha384 => "sha384",
        PseudoRandomFunction.HmacSha512 => "sha512",
        _ => "null",
    };
}
