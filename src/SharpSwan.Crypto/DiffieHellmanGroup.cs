namespace SharpSwan.Crypto;

/// <summary>IKEv2 transform type 4 identifiers (IANA "Transform Type 4").</summary>
public enum DiffieHellmanGroup : ushort
{
    None = 0,
    Modp2048 = 14,
    Modp3072 = 15,
    Ecp256 = 19,
    Ecp384 = 20,
    Ecp521 = 21,
    Curve25519 = 31,
}
