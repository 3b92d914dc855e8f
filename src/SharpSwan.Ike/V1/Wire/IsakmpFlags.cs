namespace SharpSwan.Ike.V1.Wire;

/// <summary>ISAKMP header flags (RFC 2408 §3.1).</summary>
[Flags]
public enum IsakmpFlags : byte
{
    None = 0,

    /// <summary>Everything after the header is encrypted with the phase-1 cipher.</summary>
    Encryption = 0x01,
    Commit = 0x02,
    AuthenticationOnly = 0x04,
}
