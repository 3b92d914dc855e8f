namespace SharpSwan.Crypto;

/// <summary>IKEv2 transform type 3 identifiers (IANA "Transform Type 3").</summary>
public enum IntegrityAlgorithm : ushort
{
    None = 0,
    HmacSha1_96 = 2,
    HmacSha256_128 = 12,
    HmacSha384_192 = 13,
    HmacSha512_256 = 14,
}
