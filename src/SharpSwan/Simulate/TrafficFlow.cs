using System.Buffers.Binary;
using System.Net;
using SharpSwan.Simulation;

namespace SharpSwan.Simulate;

/// <summary>
/// Packets from one gateway, SRC -> DST, numbered so that deliveries can be told apart from other flows: the payload is
/// a flow tag, the flow number and the sequence number.
/// </summary>
internal sealed class TrafficFlow(int number, SimulatedGateway from, IPAddress source, IPAddress destination)
{
    private const uint Tag = 0x53696d46; // "SimF"
    private const int PayloadLength = 12;
    private int _nextSequence;

    public int Number { get; } = number;

    public SimulatedGateway From { get; } = from;

    public IPAddress Source { get; } = source;

    public IPAddress Destination { get; } = destination;

    public IDisposable? Schedule { get; set; }

    public long Offered { get; private set; }

    /// <summary>Encrypted and sent at once (the rest found no SA: dropped, or held by a trigger queue).</summary>
    public long SentAtOnce { get; private set; }

    public long Delivered { get; private set; }

    public string Name => $"{From.Name} {Source} -> {Destination}";

    public void SendOne()
    {
        var payload = new byte[PayloadLength];
        BinaryPrimitives.WriteUInt32BigEndian(payload, Tag);
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(4), Number);
        BinaryPrimitives.WriteInt32BigEndian(payload.AsSpan(8), _nextSequence++);
        Offered++;
        if (From.SendTraffic(Ipv4Packet.Create(Source, Destination, payload)))
        {
            SentAtOnce++;
        }
    }

    public void CountDelivery() => Delivered++;

    /// <summary>The flow number a delivered packet carries, if it came from a flow.</summary>
    public static int? FlowOf(byte[] packet) =>
        Ipv4Packet.TryRead(packet, out _, out _, out var payload) && payload.Length == PayloadLength && BinaryPrimitives.ReadUInt32BigEndian(payload) == Tag
            ? BinaryPrimitives.ReadInt32BigEndian(payload.AsSpan(4))
            : null;

    public override string ToString() =>
        $"{Name}: {Offered} offered, {SentAtOnce} sent at once (the rest found no SA), {Delivered} delivered so far";
}
