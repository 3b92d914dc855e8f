namespace SharpSwan.Ike.V1.Wire;

/// <summary>IKEv1 phase-1 (Oakley) SA attribute classes (RFC 2409 Appendix A).</summary>
public enum Phase1AttributeType : ushort
{
    EncryptionAlgorithm = 1,
    HashAlgorithm = 2,
    AuthenticationMethod = 3,
    GroupDescription = 4,
    GroupType = 5,
    LifeType = 11,
    LifeDuration = 12,
    Prf = 13,
    KeyLength = 14,
    FieldSize = 15,
    GroupOrder = 16,
}
