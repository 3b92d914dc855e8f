using System.Net;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Esp;
using SharpSwan.Esp.Core;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Wire;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Tests.DataPlane;

/// <summary>
/// The outbound batch on real loopback sockets: a TCP super-packet is cut into segments encrypted where they lie in the
/// datagram slots, and on a socket with segmentation offload the equal-size ESP datagrams leave in one message.
/// </summary>
public sealed class OutboundBatchTests : IDisposable
{
    private const int Mss = 1348;
    private const uint Spi = 0x1000;

    private readonly PacketCore _local = new(TimeProvider.System, null);
    private readonly PacketCore _peer = new(TimeProvider.System, null);
    private readonly UdpEndpoint _sender = UdpEndpoint.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly UdpEndpoint _receiver = UdpEndpoint.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly TunnelPath _tunnel = new(new Phase1Settings { Name = "vpn" }, null!, []);

    public void Dispose()
    {
        _local.Dispose();
        _peer.Dispose();
        _sender.Dispose();
        _receiver.Dispose();
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 6)]
    public void SuperPacket_LeavesAsEncryptedSegmentsThatOpenToWhatTheSegmenterCuts(bool segmentation, int messages)
    {
        if (segmentation)
        {
            Assert.True(_sender.EnableSegmentationOffload());
        }

        var (sa, peerSa) = InstallPair();
        var superPacket = TestPackets.Tcp(1000, (5 * Mss) + 300, TestPackets.Ack | TestPackets.Psh);
        var sockets = new Dictionary<IPAddress, SocketSet> { [IPAddress.Loopback] = new(_sender, _sender, null) };
        using var batch = new OutboundBatch(sockets, 16, 16384);

        Assert.True(TcpSegmenter.TryCreate(superPacket, Mss, out var segmenter));
        batch.AddSegments(sa, ref segmenter);
        Assert.Equal(6, batch.Count);
        batch.Flush();

        Assert.Equal(messages, batch.LastSendMessages);
        Assert.Equal(6, Interlocked.Read(ref _tunnel.TxPackets));
        Assert.Equal(0, Interlocked.Read(ref _tunnel.TxErrors));
        Assert.True(TcpSegmenter.TryCreate(superPacket, Mss, out var expected));
        var segment = new byte[2048];
        using var incoming = new DatagramBatch(16, 2048);
        var received = 0;
        while (received < 6)
        {
            var count = _receiver.ReceiveBatch(incoming, 5000);
            Assert.True(count > 0);
            for (var i = 0; i < count; i++, received++)
            {
                var esp = incoming.Received(i);
                Assert.Equal(EspResult.Ok, peerSa.Inbound.Decapsulate(esp, out var offset, out var length, out _));
                Assert.True(expected.TryWriteNext(segment, out var expectedLength));
                Assert.Equal(segment[..expectedLength], esp.Slice(offset, length).ToArray());
            }
        }
    }

    private (ChildSaPath Local, ChildSaPath Peer) InstallPair()
    {
        var outKey = Enumerable.Repeat((byte)1, 20).ToArray();
        var inKey = Enumerable.Repeat((byte)2, 20).ToArray();
        var local = Phase2("10.1.0.0", "10.2.0.0");
        var peer = Phase2("10.2.0.0", "10.1.0.0");
        var transport = new ChildSaTransport(_tunnel, _receiver.LocalEndPoint.Serialize(), _sender.LocalEndPoint);
        var localSa = _local.Install(local, Install(Spi, Spi + 1, inKey, outKey), new SeededRandomSource(1), transport);
        var peerSa = _peer.Install(peer, Install(Spi + 1, Spi, outKey, inKey), new SeededRandomSource(2));
        return (localSa, peerSa);
    }

    private static Phase2Path Phase2(string source, string destination) => new("vpn", new Phase2Settings
    {
        Name = "vpn-p2",
        Phase1Name = "vpn",
        Source = AddressSelector.FromSubnet(IPAddress.Parse(source), 24),
        Destination = AddressSelector.FromSubnet(IPAddress.Parse(destination), 24),
    });

    private static ChildSaInstall Install(uint inbound, uint outbound, byte[] inKey, byte[] outKey) =>
        new(
            "vpn",
            "vpn-p2",
            inbound,
            outbound,
            new ChildSuite(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, DiffieHellmanGroup.None),
            inKey,
            [],
            outKey,
            [],
            new IPEndPoint(IPAddress.Loopback, 4500),
            new IPEndPoint(IPAddress.Loopback, 4500),
            UdpEncapsulation: true,
            ReplayProtection: true,
            Selector("10.1.0.0", "10.1.0.255"),
            Selector("10.2.0.0", "10.2.0.255"),
            true);

    private static TrafficSelector Selector(string start, string end) =>
        new(TrafficSelectorType.Ipv4AddressRange, 0, 0, 65535, IPAddress.Parse(start), IPAddress.Parse(end));
}
