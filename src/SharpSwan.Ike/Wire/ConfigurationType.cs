namespace SharpSwan.Ike.Wire;

/// <summary>CP payload types (RFC 7296 §3.15).</summary>
public enum ConfigurationType : byte
{
    Request = 1,
    Reply = 2,
    Set = 3,
    Ack = 4,
}
