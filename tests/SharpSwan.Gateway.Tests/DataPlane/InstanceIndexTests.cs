using System.Buffers.Binary;
using System.Net;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Esp.Core;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Gateway.Tests.DataPlane;

/// <summary>
/// A dial-up template finds the instance of an outbound packet by hash of its destination: each peer's own SA among
/// hundreds, subnets and ranges that are not one CIDR block, the earliest connected peer when two cover a packet (as the
/// scan in connection order chose), and nothing once an SA or instance is gone.
/// </summary>
public sealed class InstanceIndexTests : IDisposable
{
    private readonly PacketCore _core = new(TimeProvider.System, null);
    private readonly TunnelPath _template = new(new Phase1Settings { Name = "dialup" }, null!, []);
    private uint _nextSpi = 0x100;

    public void Dispose() => _core.Dispose();

    [Fact]
    public void Each_of_300_mode_cfg_peers_gets_its_own_packets()
    {
        var sas = new List<ChildSaPath>();
        for (var i = 0; i < 300; i++)
        {
            var address = $"10.10.{i / 250}.{(i % 250) + 1}";
            sas.Add(Connect($"dialup_{i}", address, address));
        }

        for (var i = 0; i < 300; i++)
        {
            Assert.Same(sas[i], _template.MatchInstance(Flow($"10.10.{i / 250}.{(i % 250) + 1}")));
        }

        Assert.Null(_template.MatchInstance(Flow("10.10.1.51")));
        Assert.Null(_template.MatchInstance(Flow("192.0.2.1")));
        Assert.Equal(300, _template.Instances.Count);
    }

    [Fact]
    public void A_range_that_is_not_one_block_covers_exactly_its_addresses()
    {
        var sa = Connect("dialup_0", "10.2.0.5", "10.2.0.9");

        foreach (var last in new[] { 5, 6, 7, 8, 9 })
        {
            Assert.Same(sa, _template.MatchInstance(Flow($"10.2.0.{last}")));
        }

        Assert.Null(_template.MatchInstance(Flow("10.2.0.4")));
        Assert.Null(_template.MatchInstance(Flow("10.2.0.10")));
        Assert.Equal(
            [new(0x0a020005, 32), new(0x0a020006, 31), new(0x0a020008, 31)],
            InstanceIndex.Blocks(0x0a020005, 0x0a020009).ToArray());
        Assert.Equal([new InstanceIndex.PrefixKey(0, 0)], InstanceIndex.Blocks(0, uint.MaxValue).ToArray());
    }

    [Fact]
    public void When_two_peers_cover_a_packet_the_earliest_connected_wins_and_the_other_takes_over_when_it_leaves()
    {
        var wide = Connect("dialup_0", "10.2.0.0", "10.2.255.255");
        var narrow = Connect("dialup_1", "10.2.3.0", "10.2.3.255");

        Assert.Same(wide, _template.MatchInstance(Flow("10.2.3.7")));
        Assert.Same(wide, _template.MatchInstance(Flow("10.2.9.7")));

        Assert.True(_template.Instances.Remove(_template.Instances.Find("dialup_0")!));

        Assert.Same(narrow, _template.MatchInstance(Flow("10.2.3.7")));
        Assert.Null(_template.MatchInstance(Flow("10.2.9.7")));
    }

    [Fact]
    public void A_removed_sa_no_longer_matches()
    {
        var sa = Connect("dialup_0", "10.10.0.1", "10.10.0.1");
        var instance = _template.Instances.Find("dialup_0")!;

        _core.Remove(sa.Install.InboundSpi);
        _template.Instances.RemoveSa(instance, sa);

        Assert.Null(_template.MatchInstance(Flow("10.10.0.1")));
        Assert.Same(instance, _template.Instances.Find("dialup_0"));
    }

    private static PacketFlow Flow(string destination)
    {
        var packet = new byte[28];
        packet[0] = 0x45;
        packet[9] = 17;
        IPAddress.Parse("10.1.0.1").TryWriteBytes(packet.AsSpan(12), out _);
        IPAddress.Parse(destination).TryWriteBytes(packet.AsSpan(16), out _);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), 1000);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), 2000);
        Assert.True(PacketFlow.TryRead(packet, out var flow));
        return flow;
    }

    /// <summary>A peer connects: its instance, with the template's 0.0.0.0/0 phase 2, and an SA narrowed to its addresses.</summary>
    private ChildSaPath Connect(string instanceName, string remoteStart, string remoteEnd)
    {
        var phase2 = new Phase2Path(instanceName, new Phase2Settings { Name = "dialup-p2", Phase1Name = "dialup" }, initiates: false);
        var instance = new TunnelPath(_template.Settings, null!, [phase2]) { InstanceName = instanceName, Template = _template };
        _template.Instances.Add(instance);
        var spi = _nextSpi += 2;
        var key = Enumerable.Repeat((byte)1, 20).ToArray();
        var install = new ChildSaInstall(
            instanceName,
            "dialup-p2",
            spi,
            spi + 1,
            new ChildSuite(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, DiffieHellmanGroup.None),
            key,
            [],
            key.ToArray(),
            [],
            new IPEndPoint(IPAddress.Loopback, 4500),
            new IPEndPoint(IPAddress.Loopback, 4500),
            UdpEncapsulation: true,
            ReplayProtection: true,
            Selector("10.1.0.0", "10.1.0.255"),
            Selector(remoteStart, remoteEnd),
            true);
        var sa = _core.Install(phase2, install, new SeededRandomSource(1));
        _template.Instances.AddSa(instance, sa);
        return sa;
    }

    private static TrafficSelector Selector(string start, string end) =>
        new(TrafficSelectorType.Ipv4AddressRange, 0, 0, 65535, IPAddress.Parse(start), IPAddress.Parse(end));
}
