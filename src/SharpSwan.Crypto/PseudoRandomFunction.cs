namespace SharpSwan.Crypto;

/// <summary>IKEv2 transform type 2 identifiers (IANA "Transform Type 2").</summary>
public enum PseudoRandomFunction : ushort
{
    None = 0,

    /// <summary>PRF_HMAC_MD5 (RFC 2104): kept for old peers only.</summary>
    HmacMd5 = 1,
    HmacSha1 = 2,
    HmacSha256 = 5,
    HmacSha384 = 6,
    HmacSha512 = 7,
}
