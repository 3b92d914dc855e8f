namespace SharpSwan.Crypto;

/// <summary>IKEv2 transform type 4 identifiers (IANA "Transform Type 4").</summary>
public enum DiffieHellmanGroup : ushort
{
    None = 0,

    /// <summary>768-bit MODP (RFC 2409 §6.1, group 1): far too small today, accepted only for old peers.</summary>
    Modp768 = 1,

    /// <summary>1024-bit MODP (RFC 2409 §6.2, group 2): below NIST's 2048-bit minimum, accepted only for old peers.</summary>
    Modp1024 = 2,

    /// <summary>1536-bit MODP (RFC 3526 §2, group 5): below NIST's 2048-bit minimum, accepted only for old peers.</summary>
    Modp1536 = 5,

    Modp2048 = 14,
    Modp3072 = 15,
    Ecp256 = 19,
    Ecp384 = 20,
    Ecp521 = 21,
    Curve25519 = 31,
}
