using SharpSwan.Platform.Interop;

namespace SharpSwan.Platform;

/// <summary>
/// The kernel's connection tracking table of this network namespace (FortiOS: the session table). The firewall policies'
/// nftables rules decide a connection once and let its later packets through by their conntrack entry, so a policy
/// change reaches an existing connection only after its entry is gone. Needs CAP_NET_ADMIN.
/// </summary>
public static class ConnectionTracking
{
    // nfnetlink: subsystem ctnetlink (1) in the high byte, IPCTNL_MSG_CT_DELETE (2) in the low one.
    private const ushort DeleteConnection = (1 << 8) | 2;
    private const int NetfilterHeaderLength = 4;
    private const byte FamilyUnspecified = 0;

    /// <summary>Deletes every entry, IPv4 and IPv6 (a delete with no tuple is a flush); the next packet of each connection is new again.</summary>
    /// <exception cref="NetlinkException">The kernel refused it (no connection tracking, or no CAP_NET_ADMIN).</exception>
    public static void Flush()
    {
        const string Operation = "flush the connection tracking table";
        uint sequence = NetlinkSocket.NextSequence();
        Span<byte> buffer = stackalloc byte[NetlinkMessageWriter.HeaderLength + NetfilterHeaderLength];
        var writer = new NetlinkMessageWriter(buffer, DeleteConnection, NetlinkSocket.FlagRequest | NetlinkSocket.FlagAck, sequence);

        // nfgenmsg: family (unspecified: every family), version 0, resource id 0.
        writer.AppendFixedHeader(NetfilterHeaderLength)[0] = FamilyUnspecified;
        using var socket = NetlinkSocket.Open(Operation, LibC.NetlinkNetfilter);
        socket.Execute(Operation, writer.Complete(), sequence);
    }
}
