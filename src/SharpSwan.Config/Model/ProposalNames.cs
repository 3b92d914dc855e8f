using SharpSwan.Crypto;

namespace SharpSwan.Config;

/// <summary>The pieces FortiOS proposal names are built from, shared by phase 1 and phase 2.</summary>
internal static class ProposalNames
{
    public const string SupportedHashes = "sha1 sha256 sha384 sha512";

    /// <summary>FortiOS cipher prefixes SharpSwan cannot negotiate.</summary>
    public static readonly HashSet<string> UnsupportedCiphers =
        new(["des", "3des", "aes192", "aria128", "aria192", "aria256", "seed"], StringComparer.Ordinal);

    public static bool TryCbcCipher(string name, out int keyBits)
    {
        keyBits = name switch
        {
            "aes128" => 128,
            "aes256" => 256,
            _ => 0,
        };
        return keyBits != 0;
    }

    public static bool TryIntegrity(string hash, out IntegrityAlgorithm integrity)
    {
        integrity = hash switch
        {
            "sha1" => IntegrityAlgorithm.HmacSha1_96,
            "sha256" => IntegrityAlgorithm.HmacSha256_128,
            "sha384" => IntegrityAlgorithm.HmacSha384_192,
            "sha512" => IntegrityAlgorithm.HmacSha512_256,
            _ => IntegrityAlgorithm.None,
        };
        return integrity != IntegrityAlgorithm.None;
    }

    public static bool TryPrf(string hash, out PseudoRandomFunction prf)
    {
        prf = hash switch
        {
            "sha1" => PseudoRandomFunction.HmacSha1,
            "sha256" => PseudoRandomFunction.HmacSha256,
            "sha384" => PseudoRandomFunction.HmacSha384,
            "sha512" => PseudoRandomFunction.HmacSha512,
            _ => PseudoRandomFunction.None,
        };
        return prf != PseudoRandomFunction.None;
    }

    public static bool TryAeadCipher(string name, out EncryptionAlgorithm encryption, out int keyBits)
    {
        (encryption, keyBits) = name switch
        {
            "aes128gcm" => (EncryptionAlgorithm.AesGcm16, 128),
            "aes256gcm" => (EncryptionAlgorithm.AesGcm16, 256),
            "chacha20poly1305" => (EncryptionAlgorithm.ChaCha20Poly1305, 256),
            _ => (EncryptionAlgorithm.None, 0),
        };
        return encryption != EncryptionAlgorithm.None;
    }

    public static string CipherName(EncryptionAlgorithm encryption, int keyBits) => encryption switch
    {
        EncryptionAlgorithm.AesCbc => "aes" + keyBits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        EncryptionAlgorithm.AesGcm16 => "aes" + keyBits.ToString(System.Globalization.CultureInfo.InvariantCulture) + "gcm",
        EncryptionAlgorithm.ChaCha20Poly1305 => "chacha20poly1305",
        _ => encryption.ToString().ToLowerInvariant(),
    };

    public static string HashName(IntegrityAlgorithm integrity) => integrity switch
    {
        IntegrityAlgorithm.HmacSha1_96 => "sha1",
        IntegrityAlgorithm.HmacSha256_128 => "sha256",
        IntegrityAlgorithm.HmacSha384_192 => "sha384",
        IntegrityAlgorithm.HmacSha512_256 => "sha512",
        _ => integrity.ToString().ToLowerInvariant(),
    };

    public static string HashName(PseudoRandomFunction prf) => prf switch
    {
        PseudoRandomFunction.HmacSha1 => "sha1",
        PseudoRandomFunction.HmacSha256 => "sha256",
        PseudoRandomFunction.HmacSha384 => "sha384",
        PseudoRandomFunction.HmacSha512 => "sha512",
        _ => prf.ToString().ToLowerInvariant(),
    };
}
