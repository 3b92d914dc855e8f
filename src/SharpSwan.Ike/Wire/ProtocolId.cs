namespace SharpSwan.Ike.Wire;

/// <summary>Security protocol identifiers used in proposals, Notify and Delete payloads (RFC 7296 §3.3.1).</summary>
public enum ProtocolId : byte
{
    None = 0,
    Ike = 1,
    Ah = 2,
    Esp = 3,
}
