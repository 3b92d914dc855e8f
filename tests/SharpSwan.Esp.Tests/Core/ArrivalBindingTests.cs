using System.Net;
using SharpSwan.Esp.Core;

namespace SharpSwan.Esp.Tests.Core;

/// <summary>
/// An inbound SA takes packets only from the transport (raw ESP or UDP 4500) and local address it was negotiated on:
/// the gateway reads each with its own thread, and the SA's replay window and ciphers are single-threaded.
/// </summary>
public sealed class ArrivalBindingTests
{
    private static readonly IPAddress LocalAddress = IPAddress.Parse("192.0.2.1");

    [Fact]
    public void A_udp_encapsulated_SAs_SPI_over_raw_ESP_is_dropped_and_counted_without_touching_the_SA()
    {
        using var rig = new CoreRig();
        var (local, peer) = rig.InstallPair(0x100, udpEncapsulation: true);
        var esp = CoreRig.Seal(peer, CoreRig.PeerToLocal(1));

        Assert.Equal(InboundResult.WrongTransport, rig.Local.Inbound(esp.ToArray(), EspArrival.Raw(LocalAddress), out var sa, out _, out _));
        Assert.Same(local, sa);
        Assert.Equal((1, 1, 0), (rig.LocalPath.Traffic.WrongTransport, rig.LocalPath.Traffic.Errors, rig.LocalPath.Traffic.Delivered));

        // The refused copy never reached the replay window: the same packet on its own transport is still delivered.
        Assert.Equal(InboundResult.Delivered, rig.Local.Inbound(esp, EspArrival.Udp(LocalAddress), out _, out _, out _));
        Assert.Equal(1, rig.LocalPath.Traffic.Delivered);
    }

    [Fact]
    public void A_raw_SAs_SPI_inside_UDP_is_dropped_and_counted()
    {
        using var rig = new CoreRig();
        rig.InstallPair(0x100);
        var esp = CoreRig.Seal(rig.PeerPath.Active!, CoreRig.PeerToLocal(1));

        Assert.Equal(InboundResult.WrongTransport, rig.Local.Inbound(esp.ToArray(), EspArrival.Udp(LocalAddress), out _, out _, out _));
        Assert.Equal(InboundResult.Delivered, rig.Local.Inbound(esp, EspArrival.Raw(LocalAddress), out _, out _, out _));
        Assert.Equal((1, 1, 1), (rig.LocalPath.Traffic.WrongTransport, rig.LocalPath.Traffic.Errors, rig.LocalPath.Traffic.Delivered));
        Assert.Contains("wrong-transport=1", rig.LocalPath.Traffic.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_SPI_arriving_on_another_local_address_is_dropped()
    {
        using var rig = new CoreRig();
        rig.InstallPair(0x100);
        var esp = CoreRig.Seal(rig.PeerPath.Active!, CoreRig.PeerToLocal(1));

        Assert.Equal(InboundResult.WrongTransport, rig.Local.Inbound(esp.ToArray(), EspArrival.Raw(IPAddress.Parse("192.0.2.9")), out _, out _, out _));
        Assert.Equal(InboundResult.WrongTransport, rig.Local.Inbound(esp.ToArray(), EspArrival.Raw(IPAddress.IPv6Loopback), out _, out _, out _));
        Assert.Equal((2, 0), (rig.LocalPath.Traffic.WrongTransport, rig.LocalPath.Traffic.Delivered));
    }

    [Fact]
    public void Two_threads_decrypting_on_one_SA_lose_nothing_and_never_corrupt_it()
    {
        // Fewer packets per SA than the replay window holds, so however the threads interleave every one is new.
        const int Rounds = 8;
        const int Packets = PacketCore.ReplayWindowSize - 24;
        using var rig = new CoreRig();
        for (var round = 0; round < Rounds; round++)
        {
            var (_, peer) = rig.InstallPair(0x100 + ((uint)round * 2));
            var sealedPackets = Enumerable.Range(0, Packets).Select(i => CoreRig.Seal(peer, CoreRig.PeerToLocal((byte)i, 1200))).ToArray();
            var results = new InboundResult[Packets];
            using var start = new Barrier(2);

            void Half(int first)
            {
                start.SignalAndWait();
                for (var i = first; i < Packets; i += 2)
                {
                    results[i] = rig.Local.Inbound(sealedPackets[i], CoreRig.Arrival, out _, out _, out _);
                }
            }

            var other = new Thread(() => Half(1));
            other.Start();
            Half(0);
            other.Join();
            Assert.All(results, r => Assert.Equal(InboundResult.Delivered, r));
        }

        Assert.Equal((Rounds * Packets, 0L, 0L), (rig.LocalPath.Traffic.Delivered, rig.LocalPath.Traffic.Errors, rig.LocalPath.Traffic.Replayed));
    }
}
