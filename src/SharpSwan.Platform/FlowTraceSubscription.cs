using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using SharpSwan.Platform.Interop;

namespace SharpSwan.Platform;

/// <summary>
/// Listens to the nftables trace events of this network namespace (nfnetlink group NFNLGRP_NFTRACE): what `diagnose
/// debug flow` is built on. The kernel traces only packets a rule marked (<c>meta nftrace set 1</c>), and only while a
/// listener exists. Needs CAP_NET_ADMIN. One reader thread at a time.
/// </summary>
public sealed class FlowTraceSubscription : IDisposable
{
    private const string Operation = "listen to nftables traces";
    private const int TraceGroup = 9;                 // NFNLGRP_NFTRACE
    private const ushort TraceMessage = (10 << 8) | 17; // subsystem nf_tables (10), NFT_MSG_TRACE (17)
    private const int NetfilterHeaderLength = 4;

    private const ushort AttributeTable = 1;          // NFTA_TRACE_TABLE
    private const ushort AttributeChain = 2;          // NFTA_TRACE_CHAIN
    private const ushort AttributeRuleHandle = 3;     // NFTA_TRACE_RULE_HANDLE
    private const ushort AttributeType = 4;           // NFTA_TRACE_TYPE
    private const ushort AttributeVerdict = 5;        // NFTA_TRACE_VERDICT
    private const ushort AttributeId = 6;             // NFTA_TRACE_ID
    private const ushort AttributeNetworkHeader = 8;  // NFTA_TRACE_NETWORK_HEADER
    private const ushort AttributeTransportHeader = 9; // NFTA_TRACE_TRANSPORT_HEADER
    private const ushort AttributeInputInterface = 10; // NFTA_TRACE_IIF
    private const ushort AttributeOutputInterface = 12; // NFTA_TRACE_OIF
    private const ushort AttributeMark = 14;          // NFTA_TRACE_MARK
    private const ushort AttributeConnectionId = 18;  // NFTA_TRACE_CT_ID (kernel 6.10+)
    private const ushort AttributeConnectionDirection = 19; // NFTA_TRACE_CT_DIRECTION
    private const ushort VerdictCode = 1;             // NFTA_VERDICT_CODE
    private const ushort VerdictChain = 2;            // NFTA_VERDICT_CHAIN

    private readonly NetlinkSocket _socket;
    private Dictionary<uint, string> _interfaces = [];

    private FlowTraceSubscription(NetlinkSocket socket) => _socket = socket;

    /// <summary>Events the kernel dropped because they came faster than they were read.</summary>
    public long Overruns { get; private set; }

    /// <exception cref="NetlinkException">The kernel refused (no CAP_NET_ADMIN, or no nf_tables).</exception>
    public static FlowTraceSubscription Open(int pollMilliseconds = 250)
    {
        var subscription = new FlowTraceSubscription(NetlinkSocket.Subscribe(Operation, LibC.NetlinkNetfilter, TraceGroup, pollMilliseconds));
        try
        {
            // Interface indexes mean something only in the namespace the trace comes from: this one, read now.
            subscription._interfaces = NetworkConfigurator.InterfaceNames();
            return subscription;
        }
        catch
        {
            subscription.Dispose();
            throw;
        }
    }

    /// <summary>Waits up to the poll interval and adds the events that came to <paramref name="events"/> (none on a quiet interval).</summary>
    /// <exception cref="NetlinkException">The socket failed.</exception>
    public void Read(List<FlowTraceEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var datagram = _socket.ReceiveEvents(Operation, out var overrun);
        if (overrun)
        {
            Overruns++;
        }

        foreach (var message in new NetlinkMessageReader(datagram))
        {
            if (Parse(message, InterfaceName) is { } traced)
            {
                events.Add(traced);
            }
        }
    }

    /// <summary>One trace event from one netlink message (with its header); null for another message or one that does not parse.</summary>
    public static FlowTraceEvent? Parse(ReadOnlySpan<byte> message, Func<uint, string?>? interfaceName = null)
    {
        if (message.Length < NetlinkMessageWriter.HeaderLength + NetfilterHeaderLength
            || MemoryMarshal.Read<ushort>(message[4..]) != TraceMessage)
        {
            return null;
        }

        interfaceName ??= index => $"if{index}";
        string? table = null, chain = null, jumpTarget = null, input = null, output = null;
        uint? id = null, type = null, mark = null, connection = null;
        bool? reply = null;
        ulong? handle = null;
        FlowTraceVerdict? verdict = null;
        byte[]? network = null, transport = null;
        foreach (var attribute in new NetlinkAttributeReader(message[(NetlinkMessageWriter.HeaderLength + NetfilterHeaderLength)..]))
        {
            var value = attribute.Value;
            switch (attribute.Type)
            {
                case AttributeTable:
                    table = Text(value);
                    break;
                case AttributeChain:
                    chain = Text(value);
                    break;
                case AttributeRuleHandle when value.Length == 8:
                    handle = BinaryPrimitives.ReadUInt64BigEndian(value);
                    break;
                case AttributeType when value.Length == 4:
                    type = BinaryPrimitives.ReadUInt32BigEndian(value);
                    break;
                case AttributeId when value.Length == 4:
                    id = BinaryPrimitives.ReadUInt32BigEndian(value);
                    break;
                case AttributeVerdict:
                    foreach (var part in new NetlinkAttributeReader(value))
                    {
                        if (part.Type == VerdictCode && part.Value.Length == 4)
                        {
                            int code = BinaryPrimitives.ReadInt32BigEndian(part.Value);

                            // NF_QUEUE and NF_DROP carry a queue number or errno in the upper bits.
                            verdict = (FlowTraceVerdict)(code >= 0 ? code & 0xff : code);
                        }
                        else if (part.Type == VerdictChain)
                        {
                            jumpTarget = Text(part.Value);
                        }
                    }

                    break;
                case AttributeNetworkHeader:
                    network = value.ToArray();
                    break;
                case AttributeTransportHeader:
                    transport = value.ToArray();
                    break;
                case AttributeInputInterface when value.Length == 4:
                    input = interfaceName(BinaryPrimitives.ReadUInt32BigEndian(value));
                    break;
                case AttributeOutputInterface when value.Length == 4:
                    output = interfaceName(BinaryPrimitives.ReadUInt32BigEndian(value));
                    break;
                case AttributeMark when value.Length == 4:
                    mark = BinaryPrimitives.ReadUInt32BigEndian(value);
                    break;
                case AttributeConnectionId when value.Length == 4:
                    connection = BinaryPrimitives.ReadUInt32BigEndian(value);
                    break;
                case AttributeConnectionDirection when value.Length >= 1:
                    reply = value[0] != 0;
                    break;
            }
        }

        if (id is not { } traceId || type is not (>= 1 and <= 3) || table is null || chain is null)
        {
            return null;
        }

        return new FlowTraceEvent(traceId, (FlowTraceKind)type.Value, table, chain)
        {
            RuleHandle = handle,
            Verdict = verdict,
            JumpTarget = jumpTarget,
            InputInterface = input,
            OutputInterface = output,
            Mark = mark,
            ConnectionId = connection,
            ReplyDirection = reply,
            NetworkHeader = network,
            TransportHeader = transport,
        };
    }

    public void Dispose() => _socket.Dispose();

    /// <summary>The name of interface <paramref name="index"/> in the trace's namespace, or "if&lt;index&gt;" when it is not there.</summary>
    private string InterfaceName(uint index)
    {
        if (!_interfaces.TryGetValue(index, out var name))
        {
            // A device made since the trace started: read the interfaces again, once per unknown index.
            _interfaces = NetworkConfigurator.InterfaceNames();
            name = _interfaces.TryGetValue(index, out var found) ? found : $"if{index}";
            _interfaces[index] = name;
        }

        return name;
    }

    private static string Text(ReadOnlySpan<byte> value)
    {
        int end = value.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? value : value[..end]);
    }
}
