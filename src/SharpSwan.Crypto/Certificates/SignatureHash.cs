namespace SharpSwan.Crypto.Certificates;

/// <summary>Hash algorithms of the SIGNATURE_HASH_ALGORITHMS notify (RFC 7427 §4, IANA "IKEv2 Hash Algorithms").</summary>
public enum SignatureHash : ushort
{
    Sha256 = 2,
    Sha384 = 3,
    Sha512 = 4,
}
