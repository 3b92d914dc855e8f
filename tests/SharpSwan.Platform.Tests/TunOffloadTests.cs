using System.Buffers.Binary;
using System.Net;

namespace SharpSwan.Platform.Tests;

public sealed class TunOffloadTests
{
    // Upper bound on waiting for the kernel; a healthy run needs microseconds. Not a timing assertion.
    private const int PatienceMilliseconds = 5000;

    public TunOffloadTests() => RootRequirement.Ensure();

    [Fact]
    public void EnableOffloads_KernelAcceptsTsoAndChecksumOffload()
    {
        using TunDevice device = TunDevice.Create(TestNetwork.NewDeviceName());

        Assert.False(device.OffloadsEnabled);
        Assert.True(device.EnableOffloads());
        Assert.True(device.OffloadsEnabled);
    }

    [Fact]
    public void ReadFrame_WithOffloads_UdpArrivesAfterAVirtioHeaderThatPointsAtItsChecksum()
    {
        (TunDevice device, int subnet) = TestNetwork.CreateConfiguredTun();
        using (device)
        {
            Assert.True(device.EnableOffloads());
            int remoteSubnet = TestNetwork.NewSubnet();
            NetworkConfigurator.AddRoute(TestNetwork.Address(remoteSubnet, 0), 24, device.Name);
            using UdpEndpoint sender = UdpEndpoint.Bind(new IPEndPoint(TestNetwork.Address(subnet, 1), 0));
            byte[] message = "offloaded"u8.ToArray();

            sender.Send(message, new IPEndPoint(TestNetwork.Address(remoteSubnet, 7), 4500));

            byte[] frame = ReadFrameUntil(device, f => f.Length > VirtioNetHeader.Size + 20 && f[VirtioNetHeader.Size] >> 4 == 4 && f[VirtioNetHeader.Size + 9] == Ipv4Packets.ProtocolUdp);
            var header = VirtioNetHeader.Read(frame);
            byte[] packet = frame[VirtioNetHeader.Size..];
            Assert.Equal(VirtioNetHeader.GsoNone, header.GsoKind);
            if (header.NeedsChecksum)
            {
                Assert.Equal(20, header.ChecksumStart);
                Assert.Equal(6, header.ChecksumOffset);
            }

            Assert.Equal(message, Ipv4Packets.Payload(packet)[8..].ToArray());
        }
    }

    [Fact]
    public void WriteFrame_PlainHeader_EchoRequestIsAnswered()
    {
        (TunDevice device, int subnet) = TestNetwork.CreateConfiguredTun();
        using (device)
        {
            byte[] request = Ipv4Packets.IcmpEchoRequest(TestNetwork.Address(subnet, 2), TestNetwork.Address(subnet, 1), 0x77, 3, new byte[16]);
            byte[] frame = new byte[VirtioNetHeader.Size + request.Length];
            request.CopyTo(frame, VirtioNetHeader.Size);

            device.WriteFrame(frame);

            byte[] reply = ReadFrameUntil(device, f => f.Length > VirtioNetHeader.Size + 20 && f[VirtioNetHeader.Size + 9] == Ipv4Packets.ProtocolIcmp);
            Assert.Equal(0, reply[VirtioNetHeader.Size + 20]); // echo reply
            Assert.Equal(0, device.WriteErrors);
        }
    }

    [Fact]
    public void WriteFrame_TcpSuperPacket_IsTakenAsOneSegmentOfItsFullLength()
    {
        // A 4000-byte TCP "GSO" packet without ACK to a closed local port: the kernel answers with a RST whose
        // acknowledgment number is sequence + 4000, which shows it took the whole super-packet as one segment.
        (TunDevice device, int subnet) = TestNetwork.CreateConfiguredTun();
        using (device)
        {
            const uint sequence = 5000;
            const int payload = 4000;
            byte[] frame = new byte[VirtioNetHeader.Size + 40 + payload];
            Span<byte> packet = frame.AsSpan(VirtioNetHeader.Size);
            packet[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(packet[2..], (ushort)packet.Length);
            packet[8] = 64;
            packet[9] = 6;
            TestNetwork.Address(subnet, 2).TryWriteBytes(packet[12..], out _);
            TestNetwork.Address(subnet, 1).TryWriteBytes(packet[16..], out _);
            BinaryPrimitives.WriteUInt16BigEndian(packet[10..], Ipv4Packets.InternetChecksum(packet[..20]));
            Span<byte> tcp = packet[20..];
            BinaryPrimitives.WriteUInt16BigEndian(tcp, 40000);
            BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], 9); // discard: nothing listens
            BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], sequence);
            tcp[12] = 5 << 4;
            tcp[13] = 0x08; // PSH only
            BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], 1000);
            // NEEDS_CSUM: the checksum field holds the folded pseudo-header sum, not complemented.
            uint pseudo = (uint)BinaryPrimitives.ReadUInt16BigEndian(packet[12..]) + BinaryPrimitives.ReadUInt16BigEndian(packet[14..]) +
                BinaryPrimitives.ReadUInt16BigEndian(packet[16..]) + BinaryPrimitives.ReadUInt16BigEndian(packet[18..]) + 6u + (uint)tcp.Length;
            pseudo = (pseudo & 0xffff) + (pseudo >> 16);
            pseudo = (pseudo & 0xffff) + (pseudo >> 16);
            BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], (ushort)pseudo);
            new VirtioNetHeader(VirtioNetHeader.FlagNeedsChecksum, VirtioNetHeader.GsoTcpV4, 40, 1000, 20, 16).Write(frame);

            device.WriteFrame(frame);

            byte[] reply = ReadFrameUntil(device, f => f.Length >= VirtioNetHeader.Size + 40 && f[VirtioNetHeader.Size + 9] == 6);
            Span<byte> rst = reply.AsSpan(VirtioNetHeader.Size + 20);
            Assert.Equal(0x14, rst[13]); // RST | ACK
            Assert.Equal(sequence + payload, BinaryPrimitives.ReadUInt32BigEndian(rst[8..]));
            Assert.Equal(0, device.WriteErrors);
        }
    }

    [Fact]
    public void EnableOffloads_KernelAlsoAcceptsUdpSegmentationOffload()
    {
        using TunDevice device = TunDevice.Create(TestNetwork.NewDeviceName());

        Assert.True(device.EnableOffloads());
        Assert.True(device.UdpOffloadEnabled);
    }

    [Fact]
    public void WriteFrame_UdpSuperPacket_ArrivesAsTheDatagramsItWasCutInto()
    {
        // One UDP_L4 GSO frame carrying three payloads of 300 bytes and one of 50: the local socket must receive four
        // datagrams with exactly those payloads, which shows the kernel took the header and cut the packet itself.
        (TunDevice device, int subnet) = TestNetwork.CreateConfiguredTun();
        using (device)
        {
            Assert.True(device.EnableOffloads());
            using UdpEndpoint receiver = UdpEndpoint.Bind(new IPEndPoint(TestNetwork.Address(subnet, 1), 0));
            int[] sizes = [300, 300, 300, 50];
            int payload = sizes.Sum();
            byte[] frame = new byte[VirtioNetHeader.Size + 28 + payload];
            Span<byte> packet = frame.AsSpan(VirtioNetHeader.Size);
            packet[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(packet[2..], (ushort)packet.Length);
            packet[8] = 64;
            packet[9] = Ipv4Packets.ProtocolUdp;
            TestNetwork.Address(subnet, 2).TryWriteBytes(packet[12..], out _);
            TestNetwork.Address(subnet, 1).TryWriteBytes(packet[16..], out _);
            BinaryPrimitives.WriteUInt16BigEndian(packet[10..], Ipv4Packets.InternetChecksum(packet[..20]));
            Span<byte> udp = packet[20..];
            BinaryPrimitives.WriteUInt16BigEndian(udp, 40000);
            BinaryPrimitives.WriteUInt16BigEndian(udp[2..], (ushort)receiver.LocalEndPoint.Port);
            BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)udp.Length);
            for (int i = 0; i < payload; i++)
            {
                udp[8 + i] = (byte)(i / 300);
            }

            // NEEDS_CSUM: the field holds the folded pseudo-header sum, not complemented.
            uint pseudo = (uint)BinaryPrimitives.ReadUInt16BigEndian(packet[12..]) + BinaryPrimitives.ReadUInt16BigEndian(packet[14..]) +
                BinaryPrimitives.ReadUInt16BigEndian(packet[16..]) + BinaryPrimitives.ReadUInt16BigEndian(packet[18..]) + 17u + (uint)udp.Length;
            pseudo = (pseudo & 0xffff) + (pseudo >> 16);
            pseudo = (pseudo & 0xffff) + (pseudo >> 16);
            BinaryPrimitives.WriteUInt16BigEndian(udp[6..], (ushort)pseudo);
            new VirtioNetHeader(VirtioNetHeader.FlagNeedsChecksum, VirtioNetHeader.GsoUdpL4, 28, 300, 20, 6).Write(frame);

            device.WriteFrame(frame);

            Assert.Equal(0, device.WriteErrors);
            byte[] buffer = new byte[2048];
            for (int i = 0; i < sizes.Length; i++)
            {
                int length = receiver.Receive(buffer, out _, PatienceMilliseconds);
                Assert.Equal(sizes[i], length);
                Assert.True(buffer.AsSpan(0, length).IndexOfAnyExcept((byte)i) < 0);
            }
        }
    }

    [Fact]
    public void WriteFrame_NoPacketAfterTheHeader_IsCountedNotThrown()
    {
        using TunDevice device = TunDevice.Create(TestNetwork.NewDeviceName());

        device.WriteFrame(new byte[VirtioNetHeader.Size]);

        Assert.Equal(1, device.WriteErrors);
    }

    private static byte[] ReadFrameUntil(TunDevice device, Func<byte[], bool> wanted)
    {
        byte[] buffer = new byte[VirtioNetHeader.Size + 65536];
        long deadline = Environment.TickCount64 + PatienceMilliseconds;
        while (Environment.TickCount64 < deadline)
        {
            int length = device.ReadFrame(buffer, PatienceMilliseconds);
            if (length > 0 && wanted(buffer[..length]))
            {
                return buffer[..length];
            }
        }

        throw new TimeoutException("the expected frame never came out of the TUN device");
    }
}
