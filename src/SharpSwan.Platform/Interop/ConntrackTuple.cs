namespace SharpSwan.Platform.Interop;

/// <summary>One direction's tuple of a connection tracking entry, as far as the kernel's message gave it.</summary>
internal sealed class ConntrackTuple
{
    public uint? Source { get; set; }

    public uint? Destination { get; set; }

    public byte? Protocol { get; set; }

    public ushort? SourcePort { get; set; }

    public ushort? DestinationPort { get; set; }

    public ushort? IcmpIdentifier { get; set; }

    public byte? IcmpType { get; set; }
}
