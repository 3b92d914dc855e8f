namespace SharpSwan.Ike.Wire;

/// <summary>IKEv2 exchange types (IANA "IKEv2 Exchange Types", RFC 7296 §3.1).</summary>
public enum ExchangeType : byte
{
    IkeSaInit = 34,
    IkeAuth = 35,
    CreateChildSa = 36,
    Informational = 37,
}
