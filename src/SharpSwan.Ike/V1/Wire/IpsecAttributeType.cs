namespace SharpSwan.Ike.V1.Wire;

/// <summary>IPsec DOI SA attribute classes used in quick mode (RFC 2407 §4.5; 11 is RFC 4304's ESN).</summary>
public enum IpsecAttributeType : ushort
{
    LifeType = 1,
    LifeDuration = 2,
    GroupDescription = 3,
    EncapsulationMode = 4,
    AuthenticationAlgorithm = 5,
    KeyLength = 6,
    KeyRounds = 7,
    CompressDictionarySize = 8,
    CompressPrivateAlgorithm = 9,
    ExtendedSequenceNumber = 11,
}
