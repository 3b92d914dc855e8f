using System.Buffers.Binary;
using SharpSwan.Platform.Interop;

namespace SharpSwan.Platform;

/// <summary>
/// The kernel's connection tracking table of this network namespace (FortiOS: the session table), over ctnetlink. The
/// firewall policies' nftables rules decide a connection once and let its later packets through by their conntrack
/// entry, so a policy change reaches an existing connection only after its entry is gone. Needs CAP_NET_ADMIN.
/// </summary>
public static class ConnectionTracking
{
    public const byte FamilyIPv4 = 2;
    public const byte FamilyIPv6 = 10;

    // nfnetlink: subsystem ctnetlink (1) in the high byte, the message in the low one.
    private const ushort GetConnection = (1 << 8) | 1;
    private const ushort DeleteConnection = (1 << 8) | 2;
    private const int NetfilterHeaderLength = 4;

    private const ushort TupleOriginal = 1;          // CTA_TUPLE_ORIG
    private const ushort EntryId = 12;               // CTA_ID
    private const ushort TupleAddresses = 1;         // CTA_TUPLE_IP
    private const ushort TupleProtocol = 2;          // CTA_TUPLE_PROTO
    private const ushort AddressSource = 1;          // CTA_IP_V4_SRC
    private const ushort AddressDestination = 2;     // CTA_IP_V4_DST
    private const ushort ProtocolNumber = 1;         // CTA_PROTO_NUM
    private const ushort ProtocolSourcePort = 2;     // CTA_PROTO_SRC_PORT
    private const ushort ProtocolDestinationPort = 3; // CTA_PROTO_DST_PORT

    /// <summary>
    /// Deletes every entry of <paramref name="family"/> (a delete with no tuple is a flush); the next packet of each
    /// connection is new again.
    /// </summary>
    /// <exception cref="NetlinkException">The kernel refused it (no connection tracking, or no CAP_NET_ADMIN).</exception>
    public static void Flush(byte family)
    {
        const string Operation = "flush the connection tracking table";
        uint sequence = NetlinkSocket.NextSequence();
        Span<byte> buffer = stackalloc byte[NetlinkMessageWriter.HeaderLength + NetfilterHeaderLength];
        var writer = new NetlinkMessageWriter(buffer, DeleteConnection, NetlinkSocket.FlagRequest | NetlinkSocket.FlagAck, sequence);
        writer.AppendFixedHeader(NetfilterHeaderLength)[0] = family; // nfgenmsg: family, version 0, resource id 0
        using var socket = NetlinkSocket.Open(Operation, LibC.NetlinkNetfilter);
        socket.Execute(Operation, writer.Complete(), sequence);
    }

    /// <summary>The IPv4 entries as they are now.</summary>
    /// <exception cref="NetlinkException">The kernel refused the dump.</exception>
    public static List<ConnectionEntry> ListIPv4()
    {
        const string Operation = "list the connection tracking table";
        uint sequence = NetlinkSocket.NextSequence();
        Span<byte> buffer = stackalloc byte[NetlinkMessageWriter.HeaderLength + NetfilterHeaderLength];
        var writer = new NetlinkMessageWriter(buffer, GetConnection, NetlinkSocket.FlagRequest | NetlinkSocket.FlagDump, sequence);
        writer.AppendFixedHeader(NetfilterHeaderLength)[0] = FamilyIPv4;
        using var socket = NetlinkSocket.Open(Operation, LibC.NetlinkNetfilter);
        var entries = new List<ConnectionEntry>();
        foreach (var message in socket.Dump(Operation, writer.Complete(), sequence))
        {
            if (TryRead(message.AsSpan(NetlinkMessageWriter.HeaderLength + NetfilterHeaderLength)) is { } entry)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    /// <summary>
    /// Deletes <paramref name="entries"/> (from <see cref="ListIPv4"/>); an entry that has gone meanwhile, or was replaced
    /// by a new connection of the same tuple, is left alone. Returns how many were deleted.
    /// </summary>
    /// <exception cref="NetlinkException">The kernel refused a delete for another reason than the entry being gone.</exception>
    public static int Delete(IEnumerable<ConnectionEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        const string Operation = "delete a connection tracking entry";
        const int NoSuchEntry = 2; // ENOENT
        using var socket = NetlinkSocket.Open(Operation, LibC.NetlinkNetfilter);
        var deleted = 0;
        foreach (var entry in entries)
        {
            uint sequence = NetlinkSocket.NextSequence();
            var buffer = new byte[NetlinkMessageWriter.HeaderLength + NetfilterHeaderLength + entry.Identity.Length];
            var writer = new NetlinkMessageWriter(buffer, DeleteConnection, NetlinkSocket.FlagRequest | NetlinkSocket.FlagAck, sequence);
            writer.AppendFixedHeader(NetfilterHeaderLength)[0] = FamilyIPv4;
            writer.AppendAttributes(entry.Identity);
            try
            {
                socket.Execute(Operation, writer.Complete(), sequence);
                deleted++;
            }
            catch (NetlinkException ex) when (ex.ErrorNumber == NoSuchEntry)
            {
            }
        }

        return deleted;
    }

    /// <summary>An entry from the attributes of one ctnetlink message; null if it has no readable IPv4 original tuple.</summary>
    private static ConnectionEntry? TryRead(ReadOnlySpan<byte> attributes)
    {
        ReadOnlySpan<byte> tuple = default, tupleAttribute = default, idAttribute = default;
        foreach (var attribute in new NetlinkAttributeReader(attributes))
        {
            if (attribute.Type == TupleOriginal)
            {
                tuple = attribute.Value;
                tupleAttribute = attribute.Whole;
            }
            else if (attribute.Type == EntryId)
            {
                idAttribute = attribute.Whole;
            }
        }

        ReadOnlySpan<byte> addresses = default, protocol = default;
        foreach (var attribute in new NetlinkAttributeReader(tuple))
        {
            if (attribute.Type == TupleAddresses)
            {
                addresses = attribute.Value;
            }
            else if (attribute.Type == TupleProtocol)
            {
                protocol = attribute.Value;
            }
        }

        uint? source = null, destination = null;
        foreach (var attribute in new NetlinkAttributeReader(addresses))
        {
            if (attribute.Value.Length == 4 && attribute.Type is AddressSource or AddressDestination)
            {
                var address = BinaryPrimitives.ReadUInt32BigEndian(attribute.Value);
                if (attribute.Type == AddressSource)
                {
                    source = address;
                }
                else
                {
                    destination = address;
                }
            }
        }

        byte? number = null;
        ushort? sourcePort = null, destinationPort = null;
        foreach (var attribute in new NetlinkAttributeReader(protocol))
        {
            if (attribute.Type == ProtocolNumber && attribute.Value.Length >= 1)
            {
                number = attribute.Value[0];
            }
            else if (attribute.Type is ProtocolSourcePort or ProtocolDestinationPort && attribute.Value.Length >= 2)
            {
                var port = BinaryPrimitives.ReadUInt16BigEndian(attribute.Value);
                if (attribute.Type == ProtocolSourcePort)
                {
                    sourcePort = port;
                }
                else
                {
                    destinationPort = port;
                }
            }
        }

        if (source is null || destination is null || number is null)
        {
            return null;
        }

        var hasPorts = sourcePort is not null && destinationPort is not null;
        var identity = new byte[tupleAttribute.Length + idAttribute.Length];
        tupleAttribute.CopyTo(identity);
        idAttribute.CopyTo(identity.AsSpan(tupleAttribute.Length));
        return new ConnectionEntry(number.Value, source.Value, destination.Value, sourcePort ?? 0, destinationPort ?? 0, hasPorts, identity);
    }
}
