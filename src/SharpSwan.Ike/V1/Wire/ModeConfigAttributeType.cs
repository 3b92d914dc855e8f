namespace SharpSwan.Ike.V1.Wire;

/// <summary>
/// Attribute types of the Attribute payload: mode-config's internal address values (draft-dukes-ike-mode-cfg §3.3, the same
/// numbers IKEv2 kept) and the XAUTH ones (draft-beaulieu-ike-xauth §6, in the private range 16520..16529).
/// </summary>
public enum ModeConfigAttributeType : ushort
{
    InternalIp4Address = 1,
    InternalIp4Netmask = 2,
    InternalIp4Dns = 3,
    InternalIp4Nbns = 4,
    InternalAddressExpiry = 5,
    ApplicationVersion = 7,
    InternalIp4Subnet = 13,
    SupportedAttributes = 14,
    XauthType = 16520,
    XauthUserName = 16521,
    XauthUserPassword = 16522,
    XauthPasscode = 16523,
    XauthMessage = 16524,
    XauthChallenge = 16525,
    XauthDomain = 16526,
    XauthStatus = 16527,
    XauthNextPin = 16528,
    XauthAnswer = 16529,
}
