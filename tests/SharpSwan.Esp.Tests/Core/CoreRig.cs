using System.Buffers.Binary;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Esp.Core;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Esp.Tests.Core;

/// <summary>
/// Two packet cores, "local" 10.1.0.0/24 and "peer" 10.2.0.0/24, on one fake clock: child SAs are installed on both with
/// mirrored SPIs and keys, so what one seals the other can open.
/// </summary>
internal sealed class CoreRig : IDisposable
{
    public const string Phase1 = "vpn";
    public const string Phase2 = "vpn-p2";
    public const int NegotiateTimeoutSeconds = 10;

    /// <summary>Both cores' SAs are negotiated on raw ESP to 192.0.2.1 (the rig uses one endpoint pair for both).</summary>
    public static readonly EspArrival Arrival = EspArrival.Raw(IPAddress.Parse("192.0.2.1"));

    private static readonly TrafficSelector LocalNet = Selector("10.1.0.0", "10.1.0.255");
    private static readonly TrafficSelector RemoteNet = Selector("10.2.0.0", "10.2.0.255");

    /// <param name="lanes">Outbound lanes of both cores (threads that may seal on one SA at once).</param>
    public CoreRig(int triggerQueue = 0, int lanes = 1)
    {
        Local = new PacketCore(Clock, LocalEvents, lanes);
        Peer = new PacketCore(Clock, PeerEvents, lanes);
        LocalPath = new Phase2Path(Phase1, Settings(Phase2, "10.1.0.0", "10.2.0.0", triggerQueue), NegotiateTimeoutSeconds);
        PeerPath = new Phase2Path(Phase1, Settings(Phase2, "10.2.0.0", "10.1.0.0", 0), NegotiateTimeoutSeconds);
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public EventRecorder LocalEvents { get; } = new();

    public EventRecorder PeerEvents { get; } = new();

    public PacketCore Local { get; }

    public PacketCore Peer { get; }

    public Phase2Path LocalPath { get; }

    public Phase2Path PeerPath { get; }

    public static Phase2Settings Settings(string name, string source, string destination, int triggerQueue) => new()
    {
        Name = name,
        Phase1Name = Phase1,
        Source = AddressSelector.FromSubnet(IPAddress.Parse(source), 24),
        Destination = AddressSelector.FromSubnet(IPAddress.Parse(destination), 24),
        TriggerQueue = triggerQueue,
    };

    /// <summary>An IPv4 packet from 10.1.0.x to 10.2.0.x (or the reverse), numbered in its last byte.</summary>
    public static byte[] Packet(string source, string destination, byte number = 0, int length = 60)
    {
        var packet = new byte[length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)length);
        IPAddress.Parse(source).TryWriteBytes(packet.AsSpan(12), out _);
        IPAddress.Parse(destination).TryWriteBytes(packet.AsSpan(16), out _);
        packet[^1] = number;
        return packet;
    }

    public static byte[] LocalToPeer(byte number = 0) => Packet("10.1.0.5", "10.2.0.7", number);

    public static byte[] PeerToLocal(byte number = 0, int length = 60) => Packet("10.2.0.7", "10.1.0.5", number, length);

    /// <summary>
    /// Installs one child SA on both sides (local inbound SPI = <paramref name="spi"/>, peer inbound SPI = spi + 1), with
    /// the negotiated selectors seen from the local side (default: the two /24s, any protocol and port).
    /// </summary>
    /// <param name="holdLocalOutbound">The local side's install holds outbound back (<see cref="ChildSaInstall.HoldOutbound"/>).</param>
    public (ChildSaPath Local, ChildSaPath Peer) InstallPair(
        uint spi, bool activate = true, bool udpEncapsulation = false, TrafficSelector? localSelector = null, TrafficSelector? remoteSelector = null, bool holdLocalOutbound = false)
    {
        var inKey = Enumerable.Repeat((byte)spi, 20).ToArray();
        var outKey = Enumerable.Repeat((byte)(spi + 1), 20).ToArray();
        var (localTs, remoteTs) = (localSelector ?? LocalNet, remoteSelector ?? RemoteNet);
        var localInstall = Install(spi, spi + 1, inKey, outKey, localTs, remoteTs, activate, udpEncapsulation) with { HoldOutbound = holdLocalOutbound };
        var local = Local.Install(LocalPath, localInstall, new SeededRandomSource((int)spi));
        var peer = Peer.Install(PeerPath, Install(spi + 1, spi, outKey, inKey, remoteTs, localTs, activate, udpEncapsulation), new SeededRandomSource((int)spi + 1));
        return (local, peer);
    }

    /// <summary>Seals a packet on <paramref name="sa"/> and returns the ESP bytes.</summary>
    public static byte[] Seal(ChildSaPath sa, byte[] packet)
    {
        var esp = new byte[sa.Outbound.GetEncapsulatedLength(packet.Length)];
        Assert.True(PacketCore.Seal(sa, packet, esp, out var written));
        return esp[..written];
    }

    public void Dispose()
    {
        Local.Dispose();
        Peer.Dispose();
    }

    private static ChildSaInstall Install(uint inbound, uint outbound, byte[] inKey, byte[] outKey, TrafficSelector local, TrafficSelector remote, bool activate, bool udpEncapsulation) =>
        new(
            Phase1,
            Phase2,
            inbound,
            outbound,
            new ChildSuite(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, DiffieHellmanGroup.None),
            inKey,
            [],
            outKey,
            [],
            new IPEndPoint(IPAddress.Parse("192.0.2.1"), 500),
            new IPEndPoint(IPAddress.Parse("192.0.2.2"), 500),
            UdpEncapsulation: udpEncapsulation,
            ReplayProtection: true,
            local,
            remote,
            activate);

    private static TrafficSelector Selector(string start, string end) =>
        new(TrafficSelectorType.Ipv4AddressRange, 0, 0, 65535, IPAddress.Parse(start), IPAddress.Parse(end));
}
