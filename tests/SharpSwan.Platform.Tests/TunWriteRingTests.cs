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
