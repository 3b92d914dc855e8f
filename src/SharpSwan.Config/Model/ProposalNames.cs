using SharpSwan.Crypto;

namespace SharpSwan.Config;

/// <summary>The pieces FortiOS proposal names are built from, shared by phase 1 and phase 2.</summary>
internal static class ProposalNames
{
    public const string SupportedHashes = "md5 sha1 sha256 sha384 sha512";

    /// <summary>FortiOS cipher prefixes SharpSwan cannot negotiate.</summary>
    public static readonly HashSet<string> UnsupportedCiphers =
        new(["aes192", "aria128", "aria192", "aria256", "seed"], StringComparer.Ordinal);

    /// <summary>The block ciphers a <c>cipher-hash</c> proposal may name (3DES and DES for old peers).</summary>
    public static bool TryCbcCipher(string name, out EncryptionAlgorithm encryption, out int keyBits)
    {
        (encryption, keyBits) = name switch
        {
            "aes128" => (EncryptionAlgorithm.AesCbc, 128),
            "aes256" => (EncryptionAlgorithm.AesCbc, 256),
            "3des" => (EncryptionAlgorithm.TripleDes, 192),
            "des" => (EncryptionAlgorithm.Des, 64),
            _ => (EncryptionAlgorithm.None, 0),
        };
        return encryption != EncryptionAlgorithm.None;
    }

    /// <summary>
    /// Why a proposal that SharpSwan negotiates is weak, or null when it is not: the text of the load-time warning.
    /// </summary>
    public static string? Weakness(EncryptionAlgorithm encryption, IntegrityAlgorithm integrity)
    {
        var reasons = new List<string>();
        switch (encryption)
        {
            case EncryptionAlgorithm.Des:
                reasons.Add("DES has a 56-bit key, found by exhaustive search in hours");
                break;
            case EncryptionAlgorithm.TripleDes:
                reasons.Add("3DES has 64-bit blocks (Sweet32) and NIST withdrew it (SP 800-131A)");
                break;
            case EncryptionAlgorithm.Null:
                reasons.Add("NULL encryption sends the traffic in clear (only its integrity is protected)");
                break;
        }

        if (integrity == IntegrityAlgorithm.HmacMd5_96)
        {
            reasons.Add("MD5 is broken for collisions and kept by FortiOS only for old peers");
        }

        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }

    public static bool TryIntegrity(string hash, out IntegrityAlgorithm integrity)
    {
        integrity = hash switch
        {
            "md5" => IntegrityAlgorithm.HmacMd5_96,
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
            "md5" => PseudoRandomFunction.HmacMd5,
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
        EncryptionAlgorithm.TripleDes => "3des",
        EncryptionAlgorithm.Des => "des",
        EncryptionAlgorithm.Null => "null",
        _ => encryption.ToString().ToLowerInvariant(),
    };

    public static string HashName(IntegrityAlgorithm integrity) => integrity switch
    {
        IntegrityAlgorithm.HmacMd5_96 => "md5",
        IntegrityAlgorithm.HmacSha1_96 => "sha1",
        IntegrityAlgorithm.HmacSha256_128 => "sha256",
        IntegrityAlgorithm.HmacSha384_192 => "sha384",
        IntegrityAlgorithm.HmacSha512_256 => "sha512",
        _ => integrity.ToString().ToLowerInvariant(),
    };

    public static string HashName(PseudoRandomFunction prf) => prf switch
    {
        PseudoRandomFunction.HmacMd5 => "md5",
        PseudoRandomFunction.HmacSha1 => "sha1",
        PseudoRandomFunction.HmacSha256 => "sha256",
        PseudoRandomFunction.HmacSha384 => "sha384",
        PseudoRandomFunction.HmacSha512 => "sha512",
        _ => prf.ToString().ToLowerInvariant(),
    };
}
