using System.Buffers.Binary;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// What tells one traced packet from another where the kernel's trace and the packet core each see it: its addresses,
/// protocol and IP identification (the TTL changes on the way, these do not).
/// </summary>
public readonly record struct FlowPacketIdentity(uint Source, uint Destination, byte Protocol, ushort Identification)
{
    /// <summary>From an IPv4 header; false when it is not one.</summary>
    public static bool TryRead(ReadOnlySpan<byte> ip, out FlowPacketIdentity identity)
    {
        identity = default;
        if (ip.Length < 20 || ip[0] >> 4 != 4)
        {
            return false;
        }

        identity = new FlowPacketIdentity(
            BinaryPrimitives.ReadUInt32BigEndian(ip[12..]), BinaryPrimitives.ReadUInt32BigEndian(ip[16..]), ip[9], BinaryPrimitives.ReadUInt16BigEndian(ip[4..]));
        return true;
    }
}
