namespace SharpSwan.Ike.V1.Wire;

/// <summary>
/// ISAKMP payload types (RFC 2408 §3.1, RFC 3947 §3 for NAT-D/NAT-OA; 130/131 are the same payloads under the
/// numbers the NAT-T drafts used, which peers negotiating a draft VID still send).
/// </summary>
public enum IsakmpPayloadType : byte
{
    None = 0,
    SecurityAssociation = 1,
    Proposal = 2,
    Transform = 3,
    KeyExchange = 4,
    Identification = 5,
    Certificate = 6,
    CertificateRequest = 7,
    Hash = 8,
    Signature = 9,
    Nonce = 10,
    Notification = 11,
    Delete = 12,
    VendorId = 13,
    Attribute = 14,
    NatDiscovery = 20,
    NatOriginalAddress = 21,
    NatDiscoveryDraft = 130,
    NatOriginalAddressDraft = 131,
}
