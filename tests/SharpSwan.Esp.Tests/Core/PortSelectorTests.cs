using System.Buffers.Binary;
using System.Net;
using SharpSwan.Config;
using SharpSwan.Esp.Core;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Esp.Tests.Core;

/// <summary>
/// Issue 11 item 5: protocol and port selectors are enforced both ways in the packet core. A child SA narrowed to TCP/443
/// towards the peer carries nothing else out, and lets nothing else in.
/// </summary>
public sealed class PortSelectorTests
{
    private static readonly TrafficSelector LocalAnyTcp = Selector(6, 0, 65535, "10.1.0.0", "10.1.0.255");
    private static readonly TrafficSelector RemoteHttps = Selector(6, 443, 443, "10.2.0.0", "10.2.0.255");

    [Fact]
    public void Outbound_only_TCP_to_port_443_leaves_on_an_SA_narrowed_to_it()
    {
        using var rig = new CoreRig();
        rig.InstallPair(0x100, localSelector: LocalAnyTcp, remoteSelector: RemoteHttps);

        Assert.Equal(OutboundDecision.Send, rig.Local.Outbound(rig.LocalPath, Transport(6, "10.1.0.5", "10.2.0.7", 40000, 443), true, out var sa));
        Assert.NotNull(sa);
        Assert.Equal(OutboundDecision.Dropped, rig.Local.Outbound(rig.LocalPath, Transport(6, "10.1.0.5", "10.2.0.7", 40000, 22), true, out sa));
        Assert.Null(sa);
        Assert.Equal(OutboundDecision.Dropped, rig.Local.Outbound(rig.LocalPath, Transport(17, "10.1.0.5", "10.2.0.7", 40000, 443), true, out _));
        Assert.Equal(OutboundDecision.Dropped, rig.Local.Outbound(rig.LocalPath, CoreRig.LocalToPeer(), true, out _));

        var traffic = rig.LocalPath.Traffic;
        Assert.Equal((3, 3, 0), (traffic.OutsideSelectors, traffic.Errors, traffic.DroppedWithoutSa));
        Assert.Empty(rig.LocalEvents.Of<AcquireRequested>());
    }

    [Fact]
    public void Outbound_packets_outside_the_SAs_addresses_are_dropped_and_counted_too()
    {
        // The phase 2 asks for 10.1.0.0/24 <-> 10.2.0.0/24; the peer narrowed the SA to one host on each side.
        using var rig = new CoreRig();
        rig.InstallPair(0x100, localSelector: Selector(0, 0, 65535, "10.1.0.5", "10.1.0.5"), remoteSelector: Selector(0, 0, 65535, "10.2.0.7", "10.2.0.7"));

        Assert.Equal(OutboundDecision.Send, rig.Local.Outbound(rig.LocalPath, CoreRig.LocalToPeer(), true, out var sa));
        Assert.NotNull(sa);
        Assert.Equal(OutboundDecision.Dropped, rig.Local.Outbound(rig.LocalPath, CoreRig.Packet("10.1.0.6", "10.2.0.7"), true, out sa));
        Assert.Null(sa);
        Assert.Equal(OutboundDecision.Dropped, rig.Local.Outbound(rig.LocalPath, CoreRig.Packet("10.1.0.5", "10.2.0.8"), true, out _));

        var traffic = rig.LocalPath.Traffic;
        Assert.Equal((2, 0), (traffic.OutsideSelectors, traffic.DroppedWithoutSa));
        Assert.Empty(rig.LocalEvents.Of<AcquireRequested>());
    }

    [Fact]
    public void Inbound_only_TCP_from_port_443_is_delivered_from_an_SA_narrowed_to_it()
    {
        using var rig = new CoreRig();
        var (_, peer) = rig.InstallPair(0x100, localSelector: LocalAnyTcp, remoteSelector: RemoteHttps);

        Assert.Equal(InboundResult.Delivered, Receive(rig, CoreRig.Seal(peer, Transport(6, "10.2.0.7", "10.1.0.5", 443, 40000))));
        Assert.Equal(InboundResult.OutsideSelectors, Receive(rig, CoreRig.Seal(peer, Transport(6, "10.2.0.7", "10.1.0.5", 22, 40000))));
        Assert.Equal(InboundResult.OutsideSelectors, Receive(rig, CoreRig.Seal(peer, Transport(17, "10.2.0.7", "10.1.0.5", 443, 40000))));
        Assert.Equal(InboundResult.OutsideSelectors, Receive(rig, CoreRig.Seal(peer, CoreRig.PeerToLocal())));
        Assert.Equal((1, 3), (rig.LocalPath.Traffic.Delivered, rig.LocalPath.Traffic.OutsideSelectors));
    }

    [Fact]
    public void A_phase2_with_protocol_and_ports_covers_only_that_traffic()
    {
        var settings = CoreRig.Settings(CoreRig.Phase2, "10.1.0.0", "10.2.0.0", 0) with { Protocol = 17, DestinationPort = 53 };
        var path = new Phase2Path(CoreRig.Phase1, settings);

        Assert.True(path.Covers(Flow(Transport(17, "10.1.0.5", "10.2.0.7", 5353, 53))));
        Assert.False(path.Covers(Flow(Transport(17, "10.1.0.5", "10.2.0.7", 5353, 54))));
        Assert.False(path.Covers(Flow(Transport(6, "10.1.0.5", "10.2.0.7", 5353, 53))));
        Assert.False(path.Covers(Flow(Transport(17, "10.1.0.5", "10.3.0.7", 5353, 53))));
        Assert.True(new Phase2Path(CoreRig.Phase1, settings with { DestinationPort = 0 }).Covers(Flow(Transport(17, "10.1.0.5", "10.2.0.7", 1, 2))));
    }

    [Fact]
    public void Packets_without_ports_match_only_selectors_of_every_port()
    {
        var fragment = Transport(6, "10.1.0.5", "10.2.0.7", 40000, 443);
        BinaryPrimitives.WriteUInt16BigEndian(fragment.AsSpan(6), 185); // a later fragment: offset 185 * 8 bytes
        var icmp = Transport(1, "10.1.0.5", "10.2.0.7", 0x0800, 0);

        Assert.False(Flow(fragment).HasPorts);
        Assert.False(Flow(icmp).HasPorts);
        var https = PortSelector.FromPhase2(6, 443);
        Assert.False(https.Matches(Flow(fragment), 0));
        Assert.True(PortSelector.FromPhase2(6, 0).Matches(Flow(fragment), 0));
        Assert.True(PortSelector.Any.Matches(Flow(icmp), 0));
        Assert.False(PacketFlow.TryRead(new byte[19], out _));
    }

    private static InboundResult Receive(CoreRig rig, byte[] esp) => rig.Local.Inbound(esp, CoreRig.Arrival, out _, out _, out _);

    private static PacketFlow Flow(byte[] packet)
    {
        Assert.True(PacketFlow.TryRead(packet, out var flow));
        return flow;
    }

    /// <summary>An IPv4 packet of <paramref name="protocol"/> whose first four payload bytes are the ports.</summary>
    private static byte[] Transport(byte protocol, string source, string destination, ushort sourcePort, ushort destinationPort)
    {
        var packet = CoreRig.Packet(source, destination);
        packet[9] = protocol;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), destinationPort);
        return packet;
    }

    private static TrafficSelector Selector(byte protocol, ushort startPort, ushort endPort, string start, string end) =>
        new(TrafficSelectorType.Ipv4AddressRange, protocol, startPort, endPort, IPAddress.Parse(start), IPAddress.Parse(end));
}
