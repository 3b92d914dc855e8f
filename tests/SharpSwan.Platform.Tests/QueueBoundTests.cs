using System.Net;

namespace SharpSwan.Platform.Tests;

/// <summary>
/// The kernel queues on either side of the data plane (a TUN device's queue toward the gateway, a socket's receive queue)
/// hold a bounded amount when nobody reads, and what they could not hold is counted where the gateway reads it
/// (<see cref="LinkDrops"/>, <see cref="UdpEndpoint.ReceiveQueueDrops"/>).
/// </summary>
public sealed class QueueBoundTests
{
    [Fact]
    public void TunQueue_NobodyReading_HoldsABoundedNumberAndCountsTheRestAsDropped()
    {
        RootRequirement.Ensure();
        (TunDevice device, int subnet) = TestNetwork.CreateConfiguredTun();
        using (device)
        {
            int remoteSubnet = TestNetwork.NewSubnet();
            NetworkConfigurator.AddRoute(TestNetwork.Address(remoteSubnet, 0), 24, device.Name);
            using UdpEndpoint sender = UdpEndpoint.Bind(new IPEndPoint(TestNetwork.Address(subnet, 1), 0));
            var target = new IPEndPoint(TestNetwork.Address(remoteSubnet, 7), 4500);
            const int Sent = 3000;
            for (int i = 0; i < Sent; i++)
            {
                sender.Send(new byte[64], target);
            }

            long drops = LinkDrops.Read(new HashSet<string> { device.Name })[device.Name].Transmit;
            int queued = 0;
            byte[] buffer = new byte[2048];
            while (device.Read(buffer, timeoutMilliseconds: 0) > 0)
            {
                queued++;
            }

            Assert.Equal(0, sender.SendErrors);
            Assert.True(queued < Sent, $"the device queued all {queued} packets");
            Assert.True(drops > 0, "no drop was counted");
            Assert.True(queued + drops >= Sent, $"{Sent - queued - drops} packets neither queued nor counted ({queued} queued, {drops} dropped)");
        }
    }

    [Fact]
    public void SocketReceiveQueue_NobodyReading_HoldsAtMostItsBufferAndCountsTheRestAsDropped()
    {
        using UdpEndpoint receiver = UdpEndpoint.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using UdpEndpoint sender = UdpEndpoint.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        const int Size = 1000;
        int sent = 3 * receiver.ReceiveBufferSize / Size;
        byte[] datagram = new byte[Size];
        for (int i = 0; i < sent; i++)
        {
            sender.Send(datagram, receiver.LocalEndPoint);
        }

        long accepted = sent - sender.SendErrors;
        long drops = receiver.ReceiveQueueDrops;
        int queued = 0;
        byte[] buffer = new byte[2048];
        while (receiver.Receive(buffer, out _, timeoutMilliseconds: 0) > 0)
        {
            queued++;
        }

        Assert.True((long)queued * Size <= receiver.ReceiveBufferSize, $"{queued} datagrams of {Size} B held in a {receiver.ReceiveBufferSize} B buffer");
        Assert.True(drops > 0, "no drop was counted");
        Assert.True(queued + drops <= accepted, $"{queued} received and {drops} dropped of {accepted} sent");
        Assert.True(queued + drops >= accepted * 9 / 10, $"most of the {accepted} datagrams sent are neither received nor counted ({queued} received, {drops} dropped)");
    }

    [Fact]
    public void LinkDrops_Parse_ReadsTheDropColumnsOfTheNamedDevicesOnly()
    {
        const string Text = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo: 455307468  252261    0    0    0     0          0         0 455307468  252261    0    0    0     0       0          0
            to-hub:    1000      10    0    7    0     0          0         0     2000      20    0  1234    0     0       0          0
            other:       1       1    0    9    0     0          0         0        1       1    0    9    0     0       0          0
            broken: 1 2 3
            """;

        var drops = LinkDrops.Parse(Text, new HashSet<string> { "to-hub", "broken", "missing" });

        Assert.Equal(new LinkDrops(7, 1234), Assert.Single(drops, d => d.Key == "to-hub").Value);
        Assert.Single(drops);
    }
}
