namespace SharpSwan.Ike.V1.Wire;

/// <summary>The kind of an Attribute payload (draft-dukes-ike-mode-cfg §3.2): mode-config and XAUTH both use them.</summary>
public enum ModeConfigMessageType : byte
{
    Request = 1,
    Reply = 2,
    Set = 3,
    Ack = 4,
}
