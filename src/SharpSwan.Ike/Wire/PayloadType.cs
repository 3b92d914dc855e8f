namespace SharpSwan.Ike.Wire;

/// <summary>IKEv2 payload type codes (IANA "IKEv2 Payload Types", RFC 7296 §3.2).</summary>
public enum PayloadType : byte
{
    None = 0,
    SecurityAssociation = 33,
    KeyExchange = 34,
    IdInitiator = 35,
    IdResponder = 36,
    Certificate = 37,
    CertificateRequest = 38,
    Authentication = 39,
    Nonce = 40,
    Notify = 41,
    Delete = 42,
    VendorId = 43,
    TrafficSelectorInitiator = 44,
    TrafficSelectorResponder = 45,
    Encrypted = 46,
    Configuration = 47,
    Eap = 48,

    /// <summary>RFC 7383 Encrypted Fragment (SKF): one piece of an SK message, decoded by <see cref="IkeFragmentCodec"/>.</summary>
    EncryptedFragment = 53,
}
