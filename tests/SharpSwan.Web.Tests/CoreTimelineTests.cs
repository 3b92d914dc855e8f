using System.Buffers.Binary;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Esp.Core;
using SharpSwan.Gateway.Events;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Wire;
using SharpSwan.Web.Gui;
using SharpSwan.Web.Monitoring;

namespace SharpSwan.Web.Tests;

/// <summary>
/// The real packet core publishing into the gateway's event stream (as the data plane does): the timeline that follows
/// the stream draws its trigger-queue drops and outbound switches, at the time they happened.
/// </summary>
public sealed class CoreTimelineTests : IHeldPacketSender, IPacketCoreEvents
{
    private const string Tunnel = "hq";
    private const string Selector = "hq-p2";
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-03-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private readonly FakeTimeProvider _clock = new(Start);
    private readonly GatewayEvents _stream = new();

    [Fact]
    public void Trigger_queue_drops_and_outbound_switches_reach_the_timeline_and_its_page()
    {
        var timeline = new TunnelTimeline(_clock);
        using var following = timeline.Follow(_stream);
        using var core = new PacketCore(_clock, this);
        var path = new Phase2Path(Tunnel, Settings(triggerQueue: 4), negotiateTimeoutSeconds: 10);

        // No SA: the packets are held while the engine negotiates, and dropped at negotiate-timeout.
        Assert.Equal(OutboundDecision.Held, core.Outbound(path, Packet(1), queueable: true, out _));
        Assert.Equal(OutboundDecision.Held, core.Outbound(path, Packet(2), queueable: true, out _));
        _clock.Advance(TimeSpan.FromSeconds(10));
        core.ServiceQueue(path, this);

        // An SA comes, then its rekey's successor, which the engine activates once the rekey completes.
        _clock.Advance(TimeSpan.FromSeconds(5));
        core.Install(path, Install(0x1000, activate: true), new SeededRandomSource(1));
        _clock.Advance(TimeSpan.FromSeconds(60));
        core.Install(path, Install(0x2000, activate: false), new SeededRandomSource(2));
        Assert.True(core.ActivateOutbound(path, 0x2001));

        var events = timeline.EventsFor(Tunnel, Start);
        Assert.Equal([TimelineEventKind.TriggerQueueDropped, TimelineEventKind.OutboundSwitched, TimelineEventKind.OutboundSwitched], events.Select(e => e.Kind));
        Assert.All(events, e => Assert.Equal(Selector, e.Selector));
        Assert.Equal([Start.AddSeconds(10), Start.AddSeconds(15), Start.AddSeconds(75)], events.Select(e => e.At));
        Assert.Contains("2 held packet(s) dropped (negotiate-timeout)", events[0].Detail, StringComparison.Ordinal);
        Assert.Contains("SPIs=00001000/00001001 (installed)", events[1].Detail, StringComparison.Ordinal);
        Assert.Contains("SPIs=00002000/00002001 (rekey completed)", events[2].Detail, StringComparison.Ordinal);

        var page = TimelinePage.Render(Tunnel, events, _clock.GetUtcNow(), 1, TimeZoneInfo.Utc);
        Assert.Contains("Outbound SA: <strong>2</strong>", page, StringComparison.Ordinal);
        Assert.Contains("Queue drop: <strong>1</strong>", page, StringComparison.Ordinal);
        Assert.Contains("ev-queue-drop", page, StringComparison.Ordinal);
    }

    [Fact]
    public void After_unfollowing_the_stream_the_timeline_records_nothing_more()
    {
        var timeline = new TunnelTimeline(_clock);
        using var core = new PacketCore(_clock, this);
        var path = new Phase2Path(Tunnel, Settings(triggerQueue: 0), negotiateTimeoutSeconds: 10);
        timeline.Follow(_stream).Dispose();

        core.Install(path, Install(0x1000, activate: true), new SeededRandomSource(1));
        Assert.Empty(timeline.EventsFor(Tunnel, Start));
    }

    // The data plane hands the core's events to the gateway's stream the same way (EspDataPlane.CoreEvent = Events.Publish).
    void IPacketCoreEvents.Publish(PacketCoreEvent coreEvent) => _stream.Publish(coreEvent);

    void IHeldPacketSender.SendHeld(ChildSaPath sa, ReadOnlySpan<byte> packet)
    {
    }

    private static Phase2Settings Settings(int triggerQueue) => new()
    {
        Name = Selector,
        Phase1Name = Tunnel,
        Source = AddressSelector.FromSubnet(IPAddress.Parse("10.1.0.0"), 24),
        Destination = AddressSelector.FromSubnet(IPAddress.Parse("10.2.0.0"), 24),
        TriggerQueue = triggerQueue,
    };

    private static byte[] Packet(byte number)
    {
        var packet = new byte[60];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 60);
        IPAddress.Parse("10.1.0.5").TryWriteBytes(packet.AsSpan(12), out _);
        IPAddress.Parse("10.2.0.7").TryWriteBytes(packet.AsSpan(16), out _);
        packet[^1] = number;
        return packet;
    }

    private static ChildSaInstall Install(uint spi, bool activate)
    {
        var key = Enumerable.Repeat((byte)spi, 20).ToArray();
        return new ChildSaInstall(
            Tunnel,
            Selector,
            spi,
            spi + 1,
            new ChildSuite(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, DiffieHellmanGroup.None),
            key,
            [],
            key,
            [],
            new IPEndPoint(IPAddress.Parse("192.0.2.1"), 500),
            new IPEndPoint(IPAddress.Parse("192.0.2.2"), 500),
            UdpEncapsulation: false,
            ReplayProtection: true,
            Net("10.1.0.0", "10.1.0.255"),
            Net("10.2.0.0", "10.2.0.255"),
            activate);
    }

    private static TrafficSelector Net(string start, string end) =>
        new(TrafficSelectorType.Ipv4AddressRange, 0, 0, 65535, IPAddress.Parse(start), IPAddress.Parse(end));
}
