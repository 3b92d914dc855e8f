namespace SharpSwan.Crypto;

/// <summary>IKEv2 transform type 3 identifiers (IANA "Transform Type 3").</summary>
public enum IntegrityAlgorithm : ushort
{
    None = 0,

    /// <summary>HMAC-MD5-96 (RFC 2403): kept for old peers only.</summary>
    HmacMd5_96 = 1,
    HmacSha1_96 = 2,
    HmacSha256_128 = 12,
    HmacSha384_192 = 13,
    HmacSha512_256 = 14,
}
