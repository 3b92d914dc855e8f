using System.Net;

namespace SharpSwan.Simulation.Tests;

public sealed class SimulatedNetworkTests
{
    private static readonly IPEndPoint Left = new(IPAddress.Parse("198.51.100.1"), 500);
    private static readonly IPEndPoint Right = new(IPAddress.Parse("198.51.100.2"), 500);

    [Fact]
    public void A_datagram_arrives_after_exactly_the_link_latency()
    {
        var clock = new VirtualClock();
        var network = new SimulatedNetwork(1, clock);
        var arrivals = new List<(DateTimeOffset, SimulatedDatagram)>();
        network.Attach(Right.Address, d => arrivals.Add((clock.Now, d)));
        network.SetLink(Left.Address, Right.Address, LinkConditions.Default with { Latency = TimeSpan.FromMilliseconds(25) });

        network.Send(Left, Right, [1, 2, 3]);
        Assert.Equal(clock.Now.AddMilliseconds(25), network.NextDeliveryTime);
        Assert.Equal(0, network.DeliverDue(clock.Now.AddMilliseconds(24)));
        clock.Advance(TimeSpan.FromMilliseconds(25));
        Assert.Equal(1, network.DeliverDue(clock.Now));

        var (time, datagram) = Assert.Single(arrivals);
        Assert.Equal(VirtualClock.DefaultStart.AddMilliseconds(25), time);
        Assert.Equal(Left, datagram.Source);
        Assert.Equal(Right, datagram.Destination);
        Assert.Equal([1, 2, 3], datagram.Payload);
        Assert.Null(network.NextDeliveryTime);
    }

    [Fact]
    public void Loss_and_duplication_happen_at_roughly_the_configured_rates()
    {
        var clock = new VirtualClock();
        var network = new SimulatedNetwork(7, clock);
        var received = 0;
        network.Attach(Right.Address, _ => received++);
        network.SetLink(Left.Address, Right.Address, LinkConditions.Default with { LossPercent = 30, DuplicatePercent = 10 });
        for (var i = 0; i < 10_000; i++)
        {
            network.Send(Left, Right, [(byte)i]);
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        network.DeliverDue(clock.Now);
        Assert.Equal(10_000, network.SentCount);
        Assert.InRange(network.LostCount, 2_700, 3_300);
        Assert.InRange(network.DuplicatedCount, 500, 900);
        Assert.Equal(10_000 - network.LostCount + network.DuplicatedCount, received);
        Assert.Equal(received, network.DeliveredCount);
    }

    [Fact]
    public void Jitter_reorders_datagrams_but_the_same_seed_reorders_them_the_same_way()
    {
        static List<byte> Run(int seed)
        {
            var clock = new VirtualClock();
            var network = new SimulatedNetwork(seed, clock);
            var order = new List<byte>();
            network.Attach(Right.Address, d => order.Add(d.Payload[0]));
            network.SetLink(Left.Address, Right.Address, LinkConditions.Default with { Jitter = TimeSpan.FromMilliseconds(50) });
            for (var i = 0; i < 100; i++)
            {
                network.Send(Left, Right, [(byte)i]);
                clock.Advance(TimeSpan.FromMilliseconds(1));
            }

            clock.Advance(TimeSpan.FromSeconds(1));
            network.DeliverDue(clock.Now);
            return order;
        }

        var first = Run(3);
        Assert.Equal(100, first.Count);
        Assert.NotEqual(Enumerable.Range(0, 100).Select(i => (byte)i), first);
        Assert.Equal(first, Run(3));
        Assert.NotEqual(first, Run(4));
    }

    [Fact]
    public void A_partition_drops_both_directions_including_datagrams_in_flight_until_healed()
    {
        var clock = new VirtualClock();
        var network = new SimulatedNetwork(1, clock);
        var atRight = 0;
        var atLeft = 0;
        network.Attach(Right.Address, _ => atRight++);
        network.Attach(Left.Address, _ => atLeft++);

        network.Send(Left, Right, [1]);
        network.Partition(Right.Address, Left.Address);
        network.Send(Left, Right, [2]);
        network.Send(Right, Left, [3]);
        clock.Advance(TimeSpan.FromSeconds(1));
        network.DeliverDue(clock.Now);
        Assert.Equal(0, atRight + atLeft);
        Assert.Equal(3, network.LostCount);

        network.Heal(Left.Address, Right.Address);
        network.Send(Right, Left, [4]);
        clock.Advance(TimeSpan.FromSeconds(1));
        network.DeliverDue(clock.Now);
        Assert.Equal(1, atLeft);
        Assert.False(network.IsPartitioned(Left.Address, Right.Address));
    }

    [Fact]
    public void Datagrams_to_an_address_nobody_holds_are_counted_as_unroutable()
    {
        var clock = new VirtualClock();
        var network = new SimulatedNetwork(1, clock);
        network.Send(Left, Right, [1]);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, network.DeliverDue(clock.Now));
        Assert.Equal(1, network.UnroutableCount);
    }
}
