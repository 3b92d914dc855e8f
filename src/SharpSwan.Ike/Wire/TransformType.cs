namespace SharpSwan.Ike.Wire;

/// <summary>Transform types inside a proposal (RFC 7296 §3.3.2).</summary>
public enum TransformType : byte
{
    Encryption = 1,
    Prf = 2,
    Integrity = 3,
    DiffieHellman = 4,
    ExtendedSequenceNumbers = 5,
}
