namespace SharpSwan.Ike.V1.Wire;

/// <summary>ISAKMP exchange types (RFC 2408 §3.1, RFC 2409 §5 and §5.5; 6 is the mode-config Transaction exchange).</summary>
public enum IsakmpExchangeType : byte
{
    None = 0,
    Base = 1,

    /// <summary>Identity protection: IKEv1 main mode.</summary>
    IdentityProtection = 2,
    AuthenticationOnly = 3,

    /// <summary>IKEv1 aggressive mode.</summary>
    Aggressive = 4,
    Informational = 5,
    Transaction = 6,
    QuickMode = 32,
    NewGroupMode = 33,
}
