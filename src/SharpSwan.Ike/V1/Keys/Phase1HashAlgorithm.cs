namespace SharpSwan.Ike.V1.Keys;

/// <summary>
/// IKEv1 phase-1 hash algorithms (RFC 2409 Appendix A class 2, RFC 4868 numbers 4..6). The negotiated hash is
/// used in its HMAC form as the prf and directly for the IVs and NAT-D. MD5 and Tiger are not offered.
/// </summary>
public enum Phase1HashAlgorithm : ushort
{
    None = 0,
    Sha1 = 2,
    Sha256 = 4,
    Sha384 = 5,
    Sha512 = 6,
}
