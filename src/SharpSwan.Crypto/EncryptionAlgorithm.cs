namespace SharpSwan.Crypto;

/// <summary>IKEv2 transform type 1 identifiers (IANA "Transform Type 1").</summary>
public enum EncryptionAlgorithm : ushort
{
    None = 0,
    AesCbc = 12,
    AesGcm16 = 20,
    ChaCha20Poly1305 = 28,
}
