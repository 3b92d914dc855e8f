using System.Buffers.Binary;
using System.Net;

namespace SharpSwan.Platform.Tests;

public sealed class TunReadRingTests
{
    // Upper bound on waiting for the kernel; a healthy run needs microseconds. Not a timing assertion.
    private const int PatienceMilliseconds = 5000;

    public TunReadRingTests() => RootRequirement.Ensure();

    [Fact]
    public void Read_ReturnsTheWaitingFramesInOrder_InBatchesOfAtMostItsCapacity()
    {
        (TunDevice device, int subnet) = TestNetwork.CreateConfiguredTun();
        using (device)
        {
            using TunReadRing ring = TunReadRing.TryCreate(8, VirtioNetHeader.Size + 2048, out string? reason)
                ?? throw new InvalidOperationException($"no io_uring here: {reason}");
            int remoteSubnet = TestNetwork.NewSubnet();
            NetworkConfigurator.AddRoute(TestNetwork.Address(remoteSubnet, 0), 24, device.Name);
            using UdpEndpoint sender = UdpEndpoint.Bind(new IPEndPoint(TestNetwork.Address(subnet, 1), 0));
            const int sent = 20;
            for (int i = 0; i < sent; i++)
            {
                byte[] message = new byte[100];
                BinaryPrimitives.WriteInt32BigEndian(message, i);
                sender.Send(message, new IPEndPoint(TestNetwork.Address(remoteSubnet, 7), 4500));
            }

            var numbers = new List<int>();
            var batches = new List<int>();
            long deadline = Environment.TickCount64 + PatienceMilliseconds;
            while (numbers.Count < sent && Environment.TickCount64 < deadline)
            {
                int count = ring.Read(device);
                Assert.InRange(count, 0, ring.Capacity);
                batches.Add(count);
                for (int i = 0; i < count; i++)
                {
                    Span<byte> packet = ring.Frame(i)[VirtioNetHeader.Size..];
                    if (packet[0] >> 4 == 4 && packet[9] == Ipv4Packets.ProtocolUdp)
                    {
                        numbers.Add(BinaryPrimitives.ReadInt32BigEndian(packet[28..]));
                    }
                }
            }

            Assert.True(ring.Usable);
            Assert.Equal(Enumerable.Range(0, sent), numbers);
            Assert.Contains(ring.Capacity, batches);
            Assert.Equal(0, ring.Read(device));
        }
    }

    [Fact]
    public void Read_OnADisposedDevice_ReturnsMinusOne()
    {
        using TunReadRing ring = TunReadRing.TryCreate(4, VirtioNetHeader.Size + 2048, out string? reason)
            ?? throw new InvalidOperationException($"no io_uring here: {reason}");
        TunDevice device = TunDevice.Create(TestNetwork.NewDeviceName());
        device.Dispose();

        Assert.Equal(-1, ring.Read(device));
        Assert.Equal(0, ring.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.Frame(0));
    }
}
