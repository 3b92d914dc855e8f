using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Tests.DataPlane;

/// <summary>
/// The inbound writer copying and gathering, through a real TUN device (needs root): what the kernel's sockets receive
/// from a multi-segment TCP frame, a UDP frame and joined fragments is the same bytes either way, written directly or
/// through the io_uring ring. The packets lie in one pinned buffer, as decrypted packets lie in the receive batch.
/// Everything is inside a random 10.248.X.0/24 on a TUN device made here, removed with it.
/// </summary>
public sealed class GatherWriteKernelTests
{
    // Upper bound on waiting for the kernel; a healthy run needs milliseconds. Not a timing assertion.
    private const int PatienceMilliseconds = 5000;
    private const int SoReceiveBufferForce = 33;

    public static TheoryData<bool, bool> Modes => new() { { false, false }, { false, true }, { true, false }, { true, true } };

    [Theory]
    [MemberData(nameof(Modes))]
    public void UdpFlowAndJoinedFragments_ArriveUnchanged(bool gather, bool useRing)
    {
        using var net = new TunNet();
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.SetRawSocketOption(1, SoReceiveBufferForce, BitConverter.GetBytes(16 << 20));
        receiver.Bind(new IPEndPoint(net.Local, 0));
        var port = (ushort)((IPEndPoint)receiver.LocalEndPoint!).Port;

        // Ten 1000-byte datagrams (one UDP frame), then 150 datagrams of 3000 bytes cut into three fragments each: more
        // joined datagrams than the gathering joiner's arena holds, all in one batch, so it must be recycled mid-batch.
        var expected = new List<byte[]>();
        var packets = new List<byte[]>();
        for (var i = 0; i < 10; i++)
        {
            var datagram = TestPackets.Udp(1000, ipId: (ushort)(1 + i), payloadStart: i, destinationPort: port, source: net.PeerBytes, destination: net.LocalBytes);
            expected.Add(datagram[28..]);
            packets.Add(datagram);
        }

        for (var i = 0; i < 150; i++)
        {
            var datagram = TestPackets.Udp(3000, ipId: (ushort)(100 + i), payloadStart: 11 * i, destinationPort: port, source: net.PeerBytes, destination: net.LocalBytes);
            expected.Add(datagram[28..]);
            packets.AddRange(TestPackets.Fragments(datagram, 1400));
        }

        using (var writer = net.Writer(gather, useRing))
        {
            Assert.Equal(gather, writer.Gathers);
            var batch = new PinnedBatch(packets);
            for (var i = 0; i < packets.Count; i++)
            {
                writer.Write(net.Path, batch.Packet(i));
            }

            writer.Flush();
            Assert.Equal(150, writer.JoinedDatagrams);
        }

        Assert.Equal(0, net.Device.WriteErrors);
        var buffer = new byte[65536];
        receiver.ReceiveTimeout = PatienceMilliseconds;
        foreach (var payload in expected)
        {
            var length = receiver.Receive(buffer);
            Assert.Equal(payload, buffer[..length]);
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void TcpSegments_JoinedIntoOneFrame_ReachTheSocketUnchanged(bool gather, bool useRing)
    {
        using var net = new TunNet();
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(net.Local, 0));
        listener.Listen();
        var port = (ushort)((IPEndPoint)listener.LocalEndPoint!).Port;
        const ushort peerPort = 41000;
        const uint initialSequence = 70000;

        // The handshake by hand: our SYN (MSS 1460), the kernel's SYN-ACK read from the device, our ACK.
        net.Device.Write(TcpPacket(net, peerPort, port, initialSequence, 0, TestPackets.Syn, [], mss: true));
        var synAck = net.ReadTcp(peerPort, p => (p[33] & TestPackets.Syn) != 0);
        var serverSequence = BinaryPrimitives.ReadUInt32BigEndian(synAck.AsSpan(24)) + 1;
        net.Device.Write(TcpPacket(net, peerPort, port, initialSequence + 1, serverSequence, TestPackets.Ack, []));
        using var accepted = listener.Accept();

        // Twenty 1000-byte segments and a 123-byte one, in order: one TCPv4 GSO frame of 21 payloads.
        var sent = new List<byte>();
        var segments = new List<byte[]>();
        var sequence = initialSequence + 1;
        for (var i = 0; i < 21; i++)
        {
            var payload = new byte[i == 20 ? 123 : 1000];
            for (var j = 0; j < payload.Length; j++)
            {
                payload[j] = (byte)((i * 31) + (j * 7));
            }

            segments.Add(TcpPacket(net, peerPort, port, sequence, serverSequence, TestPackets.Ack, payload));
            sent.AddRange(payload);
            sequence += (uint)payload.Length;
        }

        using (var writer = net.Writer(gather, useRing))
        {
            var batch = new PinnedBatch(segments);
            for (var i = 0; i < segments.Count; i++)
            {
                writer.Write(net.Path, batch.Packet(i));
            }

            writer.Flush();
        }

        Assert.Equal(0, net.Device.WriteErrors);
        accepted.ReceiveTimeout = PatienceMilliseconds;
        var received = new List<byte>();
        var buffer = new byte[65536];
        while (received.Count < sent.Count)
        {
            var length = accepted.Receive(buffer);
            Assert.True(length > 0, "the connection closed early");
            received.AddRange(buffer.AsSpan(0, length).ToArray());
        }

        Assert.Equal(sent, received);
    }

    /// <summary>An IPv4 TCP packet from the peer to the local address, checksums complete; a SYN can carry an MSS option.</summary>
    private static byte[] TcpPacket(TunNet net, ushort sourcePort, ushort destinationPort, uint sequence, uint acknowledgment, byte flags, byte[] payload, bool mss = false)
    {
        var tcpHeaderLength = mss ? 24 : 20;
        var packet = new byte[20 + tcpHeaderLength + payload.Length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[6] = 0x40;
        packet[8] = 64;
        packet[9] = 6;
        net.PeerBytes.CopyTo(packet, 12);
        net.LocalBytes.CopyTo(packet, 16);
        var tcp = packet.AsSpan(20);
        BinaryPrimitives.WriteUInt16BigEndian(tcp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], acknowledgment);
        tcp[12] = (byte)((tcpHeaderLength / 4) << 4);
        tcp[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], 65535);
        if (mss)
        {
            tcp[20] = 2;
            tcp[21] = 4;
            BinaryPrimitives.WriteUInt16BigEndian(tcp[22..], 1460);
        }

        payload.CopyTo(tcp[tcpHeaderLength..]);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), TestPackets.NaiveChecksum(packet.AsSpan(0, 20)));
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], TestPackets.NaiveTcpChecksum(packet));
        return packet;
    }

    /// <summary>The packets back to back in one pinned buffer, with a gap after each (as ESP trailers leave).</summary>
    private sealed class PinnedBatch
    {
        private readonly byte[] _memory;
        private readonly int[] _offsets;
        private readonly int[] _lengths;

        public PinnedBatch(IReadOnlyList<byte[]> packets)
        {
            _memory = GC.AllocateArray<byte>(packets.Sum(p => p.Length + 16), pinned: true);
            _offsets = new int[packets.Count];
            _lengths = new int[packets.Count];
            var at = 0;
            for (var i = 0; i < packets.Count; i++)
            {
                packets[i].CopyTo(_memory, at);
                _offsets[i] = at;
                _lengths[i] = packets[i].Length;
                at += packets[i].Length + 16;
            }
        }

        public ReadOnlySpan<byte> Packet(int index) => _memory.AsSpan(_offsets[index], _lengths[index]);
    }

    /// <summary>A TUN device with offloads at 10.248.X.1/24 (the peer is .2) and a tunnel path on it.</summary>
    private sealed class TunNet : IDisposable
    {
        public TunNet()
        {
            Assert.True(Environment.UserName == "root", "root is required: this test creates a TUN device");
            var subnet = Random.Shared.Next(0, 256);
            Local = IPAddress.Parse($"10.248.{subnet}.1");
            Peer = IPAddress.Parse($"10.248.{subnet}.2");
            Device = TunDevice.Create("ssg" + Convert.ToHexString(Guid.NewGuid().ToByteArray().AsSpan(0, 4)).ToLowerInvariant());
            try
            {
                Assert.True(Device.EnableOffloads());
                Assert.True(Device.UdpOffloadEnabled);
                NetworkConfigurator.DisableIPv6(Device.Name);
                NetworkConfigurator.AddAddress(Device.Name, Local, 24);
                NetworkConfigurator.SetLinkUp(Device.Name);
            }
            catch
            {
                Device.Dispose();
                throw;
            }

            Path = new TunnelPath(null!, Device, []);
        }

        public IPAddress Local { get; }

        public IPAddress Peer { get; }

        public byte[] LocalBytes => Local.GetAddressBytes();

        public byte[] PeerBytes => Peer.GetAddressBytes();

        public TunDevice Device { get; }

        public TunnelPath Path { get; }

        public InboundWriter Writer(bool gather, bool useRing)
        {
            TunWriteRing? ring = null;
            if (useRing)
            {
                ring = TunWriteRing.TryCreate(64, 4096, out var reason) ?? throw new InvalidOperationException($"no io_uring here: {reason}");
            }

            return new InboundWriter(ring, gather);
        }

        /// <summary>The first TCP packet to <paramref name="port"/> out of the device that <paramref name="wanted"/> accepts.</summary>
        public byte[] ReadTcp(ushort port, Func<byte[], bool> wanted)
        {
            var buffer = new byte[VirtioNetHeader.Size + 65536];
            var deadline = Environment.TickCount64 + PatienceMilliseconds;
            while (Environment.TickCount64 < deadline)
            {
                var length = Device.ReadFrame(buffer, PatienceMilliseconds);
                if (length <= VirtioNetHeader.Size + 40)
                {
                    continue;
                }

                var packet = buffer[VirtioNetHeader.Size..length];
                if (packet[9] == 6 && BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(22)) == port && wanted(packet))
                {
                    return packet;
                }
            }

            throw new TimeoutException("the expected TCP packet never came out of the TUN device");
        }

        public void Dispose() => Device.Dispose();
    }
}
