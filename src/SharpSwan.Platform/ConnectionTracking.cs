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
    // nfnetlink: subsystem ctnetlink (1) in the high byte, the message in the low one.
    private const ushort GetConnection = (1 << 8) | 1;
    private const ushort DeleteConnection = (1 << 8) | 2;
    private const int NetfilterHeaderLength = 4;
    private const byte FamilyIPv4 = 2;

    private const ushort TupleOriginal = 1;          // CTA_TUPLE_ORIG
    private const ushort TupleReply = 2;             // CTA_TUPLE_REPLY
    private const ushort Status = 3;                 // CTA_STATUS
    private const ushort ProtocolInfo = 4;           // CTA_PROTOINFO
    private const ushort Timeout = 7;                // CTA_TIMEOUT
    private const ushort Mark = 8;                   // CTA_MARK
    private const ushort CountersOriginal = 9;       // CTA_COUNTERS_ORIG
    private const ushort CountersReply = 10;         // CTA_COUNTERS_REPLY
    private const ushort EntryId = 12;               // CTA_ID
    private const ushort Labels = 22;                // CTA_LABELS
    private const uint SeenReplyBit = 1 << 1;        // IPS_SEEN_REPLY
    private const ushort ProtocolInfoTcp = 1;        // CTA_PROTOINFO_TCP
    private const ushort TcpInfoState = 1;           // CTA_PROTOINFO_TCP_STATE
    private const ushort CounterPackets = 1;         // CTA_COUNTERS_PACKETS
    private const ushort CounterBytes = 2;           // CTA_COUNTERS_BYTES
    private const ushort TupleAddresses = 1;         // CTA_TUPLE_IP
    private const ushort TupleProtocol = 2;          // CTA_TUPLE_PROTO
    private const ushort AddressSource = 1;          // CTA_IP_V4_SRC
    private const ushort AddressDestination = 2;     // CTA_IP_V4_DST
    private const ushort ProtocolNumber = 1;         // CTA_PROTO_NUM
    private const ushort ProtocolSourcePort = 2;     // CTA_PROTO_SRC_PORT
    private const ushort ProtocolDestinationPort = 3; // CTA_PROTO_DST_PORT
    private const ushort ProtocolIcmpIdentifier = 4; // CTA_PROTO_ICMP_ID
    private const ushort ProtocolIcmpType = 5;       // CTA_PROTO_ICMP_TYPE

    /// <summary>
    /// Deletes every IPv4 entry (a delete with no tuple is a flush; the firewall policies' ruleset is IPv4 only); the next
    /// packet of each connection is new again.
    /// </summary>
    /// <exception cref="NetlinkException">The kernel refused it (no connection tracking, or no CAP_NET_ADMIN).</exception>
    public static void FlushIPv4()
    {
        const string Operation = "flush the connection tracking table";
        uint sequence = NetlinkSocket.NextSequence();
        Span<byte> buffer = stackalloc byte[NetlinkMessageWriter.HeaderLength + NetfilterHeaderLength];
        var writer = Request(buffer, DeleteConnection, NetlinkSocket.FlagRequest | NetlinkSocket.FlagAck, sequence);
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
        var writer = Request(buffer, GetConnection, NetlinkSocket.FlagRequest | NetlinkSocket.FlagDump, sequence);
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
            var writer = Request(buffer, DeleteConnection, NetlinkSocket.FlagRequest | NetlinkSocket.FlagAck, sequence);
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

    /// <summary>A ctnetlink request about IPv4 entries: the netlink header, then nfgenmsg (family, version 0, resource id 0).</summary>
    private static NetlinkMessageWriter Request(Span<byte> buffer, ushort type, ushort flags, uint sequence)
    {
        var writer = new NetlinkMessageWriter(buffer, type, flags, sequence);
        writer.AppendFixedHeader(NetfilterHeaderLength)[0] = FamilyIPv4;
        return writer;
    }

    /// <summary>An entry from the attributes of one ctnetlink message; null if it has no readable IPv4 original tuple.</summary>
    private static ConnectionEntry? TryRead(ReadOnlySpan<byte> attributes)
    {
        ReadOnlySpan<byte> tupleAttribute = default, idAttribute = default;
        ConntrackTuple? original = null, reply = null;
        uint status = 0, id = 0, mark = 0;
        uint? timeout = null;
        long? policyId = null;
        byte? tcpState = null;
        (ulong, ulong)? originalCounters = null, replyCounters = null;
        foreach (var attribute in new NetlinkAttributeReader(attributes))
        {
            switch (attribute.Type)
            {
                case TupleOriginal:
                    original = ReadTuple(attribute.Value);
                    tupleAttribute = attribute.Whole;
                    break;
                case TupleReply:
                    reply = ReadTuple(attribute.Value);
                    break;
                case Status when attribute.Value.Length == 4:
                    status = BinaryPrimitives.ReadUInt32BigEndian(attribute.Value);
                    break;
                case ProtocolInfo:
                    tcpState = ReadTcpState(attribute.Value);
                    break;
                case Timeout when attribute.Value.Length == 4:
                    timeout = BinaryPrimitives.ReadUInt32BigEndian(attribute.Value);
                    break;
                case Mark when attribute.Value.Length == 4:
                    mark = BinaryPrimitives.ReadUInt32BigEndian(attribute.Value);
                    break;
                case CountersOriginal:
                    originalCounters = ReadCounters(attribute.Value);
                    break;
                case CountersReply:
                    replyCounters = ReadCounters(attribute.Value);
                    break;
                case EntryId when attribute.Value.Length == 4:
                    id = BinaryPrimitives.ReadUInt32BigEndian(attribute.Value);
                    idAttribute = attribute.Whole;
                    break;
                case Labels:
                    policyId = PolicyLabel.Read(attribute.Value);
                    break;
            }
        }

        if (original is not { Source: { } source, Destination: { } destination, Protocol: { } protocol } tuple)
        {
            return null;
        }

        var hasPorts = tuple.SourcePort is not null && tuple.DestinationPort is not null;
        var identity = new byte[tupleAttribute.Length + idAttribute.Length];
        tupleAttribute.CopyTo(identity);
        idAttribute.CopyTo(identity.AsSpan(tupleAttribute.Length));
        return new ConnectionEntry(protocol, source, destination, tuple.SourcePort ?? 0, tuple.DestinationPort ?? 0, hasPorts, identity)
        {
            Id = id,
            ReplySource = reply?.Source ?? destination,
            ReplyDestination = reply?.Destination ?? source,
            ReplySourcePort = reply?.SourcePort ?? tuple.DestinationPort ?? 0,
            ReplyDestinationPort = reply?.DestinationPort ?? tuple.SourcePort ?? 0,
            Icmp = tuple.IcmpIdentifier is { } identifier && tuple.IcmpType is { } type ? (identifier, type) : null,
            SeenReply = (status & SeenReplyBit) != 0,
            TcpState = tcpState,
            ExpiresInSeconds = timeout,
            Mark = mark,
            PolicyId = policyId,
            OriginalCounters = originalCounters,
            ReplyCounters = replyCounters,
        };
    }

    private static ConntrackTuple ReadTuple(ReadOnlySpan<byte> value)
    {
        var tuple = new ConntrackTuple();
        foreach (var part in new NetlinkAttributeReader(value))
        {
            if (part.Type == TupleAddresses)
            {
                foreach (var address in new NetlinkAttributeReader(part.Value))
                {
                    if (address.Value.Length == 4)
                    {
                        var read = BinaryPrimitives.ReadUInt32BigEndian(address.Value);
                        tuple.Source = address.Type == AddressSource ? read : tuple.Source;
                        tuple.Destination = address.Type == AddressDestination ? read : tuple.Destination;
                    }
                }
            }
            else if (part.Type == TupleProtocol)
            {
                foreach (var field in new NetlinkAttributeReader(part.Value))
                {
                    switch (field.Type)
                    {
                        case ProtocolNumber when field.Value.Length >= 1:
                            tuple.Protocol = field.Value[0];
                            break;
                        case ProtocolSourcePort when field.Value.Length >= 2:
                            tuple.SourcePort = BinaryPrimitives.ReadUInt16BigEndian(field.Value);
                            break;
                        case ProtocolDestinationPort when field.Value.Length >= 2:
                            tuple.DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(field.Value);
                            break;
                        case ProtocolIcmpIdentifier when field.Value.Length >= 2:
                            tuple.IcmpIdentifier = BinaryPrimitives.ReadUInt16BigEndian(field.Value);
                            break;
                        case ProtocolIcmpType when field.Value.Length >= 1:
                            tuple.IcmpType = field.Value[0];
                            break;
                    }
                }
            }
        }

        return tuple;
    }

    private static byte? ReadTcpState(ReadOnlySpan<byte> protocolInfo)
    {
        foreach (var info in new NetlinkAttributeReader(protocolInfo))
        {
            if (info.Type != ProtocolInfoTcp)
            {
                continue;
            }

            foreach (var field in new NetlinkAttributeReader(info.Value))
            {
                if (field.Type == TcpInfoState && field.Value.Length >= 1)
                {
                    return field.Value[0];
                }
            }
        }

        return null;
    }

    private static (ulong Packets, ulong Bytes)? ReadCounters(ReadOnlySpan<byte> value)
    {
        ulong? packets = null, bytes = null;
        foreach (var field in new NetlinkAttributeReader(value))
        {
            if (field.Value.Length == 8 && field.Type == CounterPackets)
            {
                packets = BinaryPrimitives.ReadUInt64BigEndian(field.Value);
            }
            else if (field.Value.Length == 8 && field.Type == CounterBytes)
            {
                bytes = BinaryPrimitives.ReadUInt64BigEndian(field.Value);
            }
        }

        return packets is { } p && bytes is { } b ? (p, b) : null;
    }
}
