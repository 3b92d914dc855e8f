namespace SharpSwan.Gateway.Diagnostics;

/// <summary>The LINKTYPE_* values (as pcap files store them) of the links a Linux gateway captures on.</summary>
public static class CaptureLinkType
{
    public const int Null = 0;
    public const int Ethernet = 1;
    public const int Raw = 101;
    public const int LinuxSll = 113;
    public const int LinuxSll2 = 276;

    /// <summary>libpcap's DLT_RAW on Linux (12; 14 on OpenBSD): files store it as LINKTYPE_RAW.</summary>
    public static int FromDataLink(int dataLink) => dataLink is 12 or 14 ? Raw : dataLink;
}
