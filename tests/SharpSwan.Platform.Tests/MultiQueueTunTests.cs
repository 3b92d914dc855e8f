using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace SharpSwan.Platform.Tests;

/// <summary>
/// A multi-queue TUN device: one descriptor per queue, and a flow written to the device on the queue
/// <see cref="TunQueueSelector"/> picks comes back out (the local stack's reply) on that same queue, so a flow stays with
/// one worker both ways while flows spread over the queues. Each test has its own network namespace.
/// </summary>
public sealed class MultiQueueTunTests : IDisposable
{
    private const int Port = 9999;
    private const int Flows = 32;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly NetworkNamespaceThread _namespace;

    public MultiQueueTunTests()
    {
        RootRequirement.Ensure();
        _namespace = new NetworkNamespaceThread();
    }

    [Fact]
    public void Replies_leave_on_the_queue_their_flow_was_written_on_and_flows_use_every_queue()
    {
        _namespace.Run(() =>
        {
            using var device = TunDevice.Create("sstmq0", 2);
            Assert.Equal(2, device.QueueCount);
            NetworkConfigurator.AddAddress(device.Name, IPAddress.Parse("10.79.0.1"), 24);
            NetworkConfigurator.SetLinkUp(device.Name);
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = (int)Patience.TotalMilliseconds };
            socket.Bind(new IPEndPoint(IPAddress.Parse("10.79.0.1"), Port));

            var expected = new Dictionary<ushort, int>();
            var buffer = new byte[2048];
            for (var port = (ushort)40000; port < 40000 + Flows; port++)
            {
                var request = UdpPacket("10.79.0.2", port, "10.79.0.1", Port);
                expected[port] = TunQueueSelector.Select(request, device.QueueCount);
                device.Write(request);
                EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                var length = socket.ReceiveFrom(buffer, ref from);
                socket.SendTo(buffer.AsSpan(0, length), from);
            }

            var seen = ReadReplies(device);
            Assert.Equal(0, device.WriteErrors);
            Assert.Equal(expected.Keys.Order(), seen.Keys.Order());
            Assert.All(expected, flow => Assert.Equal(flow.Value, seen[flow.Key]));
            Assert.Equal(2, expected.Values.Distinct().Count());
        });
    }

    [Fact]
    public void Queue_counts_the_kernel_cannot_have_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TunDevice.Create("sstmq1", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TunDevice.Create("sstmq1", TunDevice.MaxQueues + 1));
    }

    [Fact]
    public void A_multi_queue_device_never_joins_another_device_of_the_same_name()
    {
        _namespace.Run(() =>
        {
            using var first = TunDevice.Create("sstmq2", 2);
            var error = Assert.Throws<IOException>(() => TunDevice.Create("sstmq2", 2));
            Assert.Contains("sstmq2", error.Message, StringComparison.Ordinal);
            Assert.Equal(2, first.QueueCount);
        });
    }

    public void Dispose() => _namespace.Dispose();

    /// <summary>An IPv4 UDP datagram (UDP checksum 0, as IPv4 allows) whose payload is its source port.</summary>
    internal static byte[] UdpPacket(string source, ushort sourcePort, string destination, ushort destinationPort)
    {
        var packet = new byte[30];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 64;
        packet[9] = 17;
        IPAddress.Parse(source).TryWriteBytes(packet.AsSpan(12), out _);
        IPAddress.Parse(destination).TryWriteBytes(packet.AsSpan(16), out _);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), Ipv4Packets.InternetChecksum(packet.AsSpan(0, 20)));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(24), 10);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(28), sourcePort);
        return packet;
    }

    /// <summary>The replies read from each queue: the flow's port and the queue it left on.</summary>
    private static Dictionary<ushort, int> ReadReplies(TunDevice device)
    {
        var seen = new Dictionary<ushort, int>();
        var frame = new byte[VirtioNetHeader.Size + 65536];
        var deadline = DateTime.UtcNow + Patience;
        while (seen.Count < Flows && DateTime.UtcNow < deadline)
        {
            var any = false;
            for (var queue = 0; queue < device.QueueCount; queue++)
            {
                var length = device.TryReadFrame(frame, queue);
                if (length <= 0)
                {
                    continue;
                }

                any = true;
                var ip = frame.AsSpan(VirtioNetHeader.Size, length - VirtioNetHeader.Size);
                if (ip.Length >= 28 && ip[0] >> 4 == 4 && ip[9] == 17 && BinaryPrimitives.ReadUInt16BigEndian(ip[20..]) == Port)
                {
                    seen.TryAdd(BinaryPrimitives.ReadUInt16BigEndian(ip[22..]), queue);
                }
            }

            if (!any)
            {
                Thread.Sleep(10);
            }
        }

        return seen;
    }
}
