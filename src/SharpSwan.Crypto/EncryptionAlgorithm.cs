namespace SharpSwan.Crypto;

/// <summary>IKEv2 transform type 1 identifiers (IANA "Transform Type 1").</summary>
public enum EncryptionAlgorithm : ushort
{
    None = 0,

    /// <summary>DES-CBC (RFC 2405): a 56-bit key, broken by exhaustive search; accepted only for old peers.</summary>
    Des = 2,

    /// <summary>3DES-CBC (RFC 2451): 64-bit blocks, deprecated (NIST SP 800-131A); accepted only for old peers.</summary>
    TripleDes = 3,

    /// <summary>ESP NULL encryption (RFC 2410): integrity only, the payload travels in clear. ESP only, never IKE.</summary>
    Null = 11,

    AesCbc = 12,
    AesGcm16 = 20,
    ChaCha20Poly1305 = 28,
}
