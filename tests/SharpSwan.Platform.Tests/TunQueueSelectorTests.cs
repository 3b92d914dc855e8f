using System.Buffers.Binary;

namespace SharpSwan.Platform.Tests;

/// <summary>The queue a packet written to a multi-queue TUN device goes to: one per flow, the same both ways, spread over the queues.</summary>
public sealed class TunQueueSelectorTests
{
    [Fact]
    public void A_flow_and_its_reply_go_to_the_same_queue_and_flows_spread_over_all_queues()
    {
        var used = new HashSet<int>();
        for (ushort port = 40000; port < 40064; port++)
        {
            var forward = MultiQueueTunTests.UdpPacket("10.1.0.5", port, "10.2.0.7", 5201);
            var reply = MultiQueueTunTests.UdpPacket("10.2.0.7", 5201, "10.1.0.5", port);
            var queue = TunQueueSelector.Select(forward, 4);
            Assert.InRange(queue, 0, 3);
            Assert.Equal(queue, TunQueueSelector.Select(reply, 4));
            used.Add(queue);
        }

        Assert.Equal(4, used.Count);
    }

    [Fact]
    public void One_queue_or_anything_not_ipv4_goes_to_queue_zero()
    {
        var packet = MultiQueueTunTests.UdpPacket("10.1.0.5", 1234, "10.2.0.7", 5201);
        Assert.Equal(0, TunQueueSelector.Select(packet, 1));
        packet[0] = 0x60;
        Assert.Equal(0, TunQueueSelector.Select(packet, 4));
        Assert.Equal(0, TunQueueSelector.Select(packet.AsSpan(0, 10), 4));
    }

    [Fact]
    public void Later_fragments_of_a_datagram_hash_without_ports()
    {
        var first = MultiQueueTunTests.UdpPacket("10.1.0.5", 1234, "10.2.0.7", 5201);
        var later = first.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(later.AsSpan(6), 100);

        // Bytes where the ports would be are payload in a later fragment: changing them must not move it.
        var otherPayload = later.ToArray();
        otherPayload[20] ^= 0xff;
        Assert.Equal(TunQueueSelector.Select(later, 8), TunQueueSelector.Select(otherPayload, 8));
    }
}
