using System.Buffers.Binary;

namespace SharpSwan.Platform.Tests;

public sealed class TunWriteRingTests
{
    // Upper bound on waiting for the kernel; a healthy run needs microseconds. Not a timing assertion.
    private const int PatienceMilliseconds = 5000;

    public TunWriteRingTests() => RootRequirement.Ensure();

    [Fact]
    public void Submit_WritesEveryQueuedPacketInOrder_AndAFullRingSubmitsOnItsOwn()
    {
        (TunDevice device, int subnet) = TestNetwork.CreateConfiguredTun();
        using (device)
        {
            using TunWriteRing ring = TunWriteRing.TryCreate(8, 2048, out string? reason)
                ?? throw new InvalidOperationException($"no io_uring here: {reason}");
            const int sent = 20;
            for (ushort sequence = 0; sequence < sent; sequence++)
            {
                byte[] request = Ipv4Packets.IcmpEchoRequest(TestNetwork.Address(subnet, 2), TestNetwork.Address(subnet, 1), 0x99, sequence, new byte[32]);
                if (sequence % 2 == 0)
                {
                    Assert.True(ring.TryQueue(device, request, hasHeader: false));
                }
                else
                {
                    byte[] frame = new byte[VirtioNetHeader.Size + request.Length];
                    request.CopyTo(frame, VirtioNetHeader.Size);
                    Assert.True(ring.TryQueue(device, frame, hasHeader: true));
                }

                Assert.InRange(ring.Queued, 1, ring.Capacity);
            }

            ring.Submit();

            Assert.Equal(0, ring.Queued);
            Assert.Equal(Enumerable.Range(0, sent), ReplySequences(device, sent));
            Assert.Equal(0, device.WriteErrors);
        }
    }

    [Fact]
    public void RefusedWrites_AreCountedOnTheirDevice_AndOversizedPacketsAreNotQueued()
    {
        (TunDevice device, int subnet) = TestNetwork.CreateConfiguredTun();
        using (device)
        {
            using TunWriteRing ring = TunWriteRing.TryCreate(4, 256, out string? reason)
                ?? throw new InvalidOperationException($"no io_uring here: {reason}");
            byte[] request = Ipv4Packets.IcmpEchoRequest(TestNetwork.Address(subnet, 2), TestNetwork.Address(subnet, 1), 0x99, 1, new byte[8]);

            Assert.False(ring.TryQueue(device, new byte[300], hasHeader: false));

            // A frame whose virtio header asks for an unknown GSO type is refused by the kernel; the packet after it is not.
            byte[] badFrame = new byte[VirtioNetHeader.Size + request.Length];
            new VirtioNetHeader(0, 0x7f, 0, 0, 0, 0).Write(badFrame);
            request.CopyTo(badFrame, VirtioNetHeader.Size);
            Assert.True(ring.TryQueue(device, badFrame, hasHeader: true));
            Assert.True(ring.TryQueue(device, request, hasHeader: false));

            TunDevice gone = TunDevice.Create(TestNetwork.NewDeviceName());
            gone.Dispose();
            Assert.True(ring.TryQueue(gone, request, hasHeader: false));
            ring.Submit();

            Assert.Equal(1, device.WriteErrors);
            Assert.Equal(1, gone.WriteErrors);
            Assert.Equal([1], ReplySequences(device, 1));
        }
    }

    [Fact]
    public void GatheredFrames_GoOutAsTheSamePackets_ThroughTheRingAndDirect_InOrderWithPlainOnes()
    {
        // Each echo request is written as three pieces (virtio header with the IP and ICMP headers, then its payload in
        // two parts from elsewhere in memory); the replies carry the payload back, so it must have arrived unchanged.
        (TunDevice device, int subnet) = TestNetwork.CreateConfiguredTun();
        using (device)
        {
            using TunWriteRing ring = TunWriteRing.TryCreate(4, 256, out string? reason)
                ?? throw new InvalidOperationException($"no io_uring here: {reason}");
            const int sent = 12;
            byte[] headers = GC.AllocateArray<byte>(sent * 64, pinned: true);
            byte[] payloads = GC.AllocateArray<byte>(sent * 1000, pinned: true);
            var frames = new TunGatherFrame[sent];
            for (ushort sequence = 0; sequence < sent; sequence++)
            {
                byte[] payload = [.. Enumerable.Range(0, 900).Select(i => (byte)(i * 13 + sequence))];
                byte[] request = Ipv4Packets.IcmpEchoRequest(TestNetwork.Address(subnet, 2), TestNetwork.Address(subnet, 1), 0x98, sequence, payload);
                Span<byte> header = headers.AsSpan(sequence * 64, VirtioNetHeader.Size + 28);
                request.AsSpan(0, 28).CopyTo(header[VirtioNetHeader.Size..]);
                request.AsSpan(28).CopyTo(payloads.AsSpan(sequence * 1000));
                var frame = new TunGatherFrame();
                frame.Add(header);
                frame.Add(payloads.AsSpan(sequence * 1000, 400));
                frame.Add(payloads.AsSpan((sequence * 1000) + 400, 500));
                Assert.Equal(VirtioNetHeader.Size + request.Length, frame.Length);
                frames[sequence] = frame;
                if (sequence % 3 == 2)
                {
                    // A plain packet between gathered ones keeps its place.
                    Assert.True(ring.TryQueue(device, Shortened(request), hasHeader: false));
                }
                else if (sequence % 3 == 1)
                {
                    ring.Submit();
                    device.WriteFrame(frame);
                }
                else
                {
                    Assert.True(ring.TryQueue(device, frame));
                }
            }

            ring.Submit();

            var replies = Replies(device, sent);
            Assert.Equal(Enumerable.Range(0, sent), replies.Select(r => r.Sequence));
            foreach (var (sequence, payload) in replies)
            {
                byte[] expected = sequence % 3 == 2
                    ? [.. Enumerable.Range(0, 100).Select(i => (byte)(i * 13 + sequence))]
                    : [.. Enumerable.Range(0, 900).Select(i => (byte)(i * 13 + sequence))];
                Assert.Equal(expected, payload);
            }

            Assert.Equal(0, device.WriteErrors);
        }
    }

    [Fact]
    public void GatheredFrames_Refused_WhenTheHeaderPieceOutgrowsASlot_OrThereIsNoPacket()
    {
        (TunDevice device, _) = TestNetwork.CreateConfiguredTun();
        using (device)
        {
            using TunWriteRing ring = TunWriteRing.TryCreate(4, 64, out string? reason)
                ?? throw new InvalidOperationException($"no io_uring here: {reason}");
            byte[] memory = GC.AllocateArray<byte>(256, pinned: true);
            var frame = new TunGatherFrame();
            frame.Add(memory.AsSpan(0, 100));
            Assert.False(ring.TryQueue(device, frame));

            frame.Clear();
            frame.Add(memory.AsSpan(0, 4));
            frame.Add(memory.AsSpan(4, 40));
            Assert.False(ring.TryQueue(device, frame));

            frame.Clear();
            frame.Add(memory.AsSpan(0, VirtioNetHeader.Size));
            Assert.False(ring.TryQueue(device, frame));
            device.WriteFrame(frame);
            Assert.Equal(1, device.WriteErrors);
            Assert.Equal(0, ring.Queued);

            frame.Clear();
            for (int i = 0; i < TunGatherFrame.MaxPieces; i++)
            {
                frame.Add(memory.AsSpan(i, 1));
            }

            Assert.Throws<InvalidOperationException>(() => frame.Add(memory.AsSpan(0, 1)));
            Assert.Equal(0, ring.Queued);
        }
    }

    // The request with its ICMP payload cut to 100 bytes (checksum recomputed).
    private static byte[] Shortened(byte[] request)
    {
        var sequence = BinaryPrimitives.ReadUInt16BigEndian(request.AsSpan(26));
        return Ipv4Packets.IcmpEchoRequest(Ipv4Packets.Source(request), Ipv4Packets.Destination(request), 0x98, sequence, request.AsSpan(28, 100));
    }

    /// <summary>The sequence numbers and payloads of the first <paramref name="count"/> echo replies out of the device.</summary>
    private static List<(int Sequence, byte[] Payload)> Replies(TunDevice device, int count)
    {
        byte[] buffer = new byte[VirtioNetHeader.Size + 65536];
        var replies = new List<(int, byte[])>();
        long deadline = Environment.TickCount64 + PatienceMilliseconds;
        while (replies.Count < count && Environment.TickCount64 < deadline)
        {
            int length = device.ReadFrame(buffer, PatienceMilliseconds);
            Span<byte> packet = buffer.AsSpan(VirtioNetHeader.Size, Math.Max(0, length - VirtioNetHeader.Size));
            if (packet.Length >= 28 && packet[0] >> 4 == 4 && packet[9] == Ipv4Packets.ProtocolIcmp && packet[20] == 0)
            {
                replies.Add((BinaryPrimitives.ReadUInt16BigEndian(packet[26..]), packet[28..].ToArray()));
            }
        }

        return replies;
    }

    /// <summary>The sequence numbers of the first <paramref name="count"/> echo replies that come out of the device.</summary>
    private static List<int> ReplySequences(TunDevice device, int count)
    {
        byte[] buffer = new byte[VirtioNetHeader.Size + 65536];
        var sequences = new List<int>();
        long deadline = Environment.TickCount64 + PatienceMilliseconds;
        while (sequences.Count < count && Environment.TickCount64 < deadline)
        {
            int length = device.ReadFrame(buffer, PatienceMilliseconds);
            Span<byte> packet = buffer.AsSpan(VirtioNetHeader.Size, Math.Max(0, length - VirtioNetHeader.Size));
            if (packet.Length >= 28 && packet[0] >> 4 == 4 && packet[9] == Ipv4Packets.ProtocolIcmp && packet[20] == 0)
            {
                sequences.Add(BinaryPrimitives.ReadUInt16BigEndian(packet[26..]));
            }
        }

        return sequences;
    }
}
