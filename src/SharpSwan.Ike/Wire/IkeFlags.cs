namespace SharpSwan.Ike.Wire;

/// <summary>Flags octet of the IKE header (RFC 7296 §3.1).</summary>
[Flags]
public enum IkeFlags : byte
{
    None = 0,

    /// <summary>Set by the original initiator of the IKE SA, in requests and responses alike.</summary>
    Initiator = 0x08,

    /// <summary>"Higher version supported" bit; IKEv2 implementations never set it.</summary>
    Version = 0x10,

    /// <summary>Set when the message answers a request with the same message ID.</summary>
    Response = 0x20,
}
