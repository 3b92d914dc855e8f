using System.Net;
using System.Net.Sockets;
using SharpSwan.Testing;

namespace SharpSwan.Platform.Tests;

public sealed class DatagramBatchTests
{
    private static UdpEndpoint BindLoopback() => UdpEndpoint.Bind(new IPEndPoint(IPAddress.Loopback, 0));

    private static void Queue(DatagramBatch batch, byte marker, int length, SocketAddress destination)
    {
        batch.NextSlot[..length].Fill(marker);
        batch.Commit(length, destination);
    }

    [Fact]
    public void SendThenReceive_MovesEveryDatagramWithItsContentAndSender()
    {
        using var sender = BindLoopback();
        using var receiver = BindLoopback();
        using var outgoing = new DatagramBatch(8, 2048);
        using var incoming = new DatagramBatch(16, 2048);
        var destination = receiver.LocalEndPoint.Serialize();
        for (var i = 0; i < 5; i++)
        {
            Queue(outgoing, (byte)(i + 1), 100 + i, destination);
        }

        Assert.Equal(5, sender.SendBatch(outgoing));
        Assert.Equal(0, outgoing.Count);

        var received = 0;
        var source = receiver.CreateAddressBuffer();
        while (received < 5)
        {
            var count = receiver.ReceiveBatch(incoming, 5000);
            Assert.True(count > 0);
            for (var i = 0; i < count; i++, received++)
            {
                var datagram = incoming.Received(i);
                Assert.Equal(100 + received, datagram.Length);
                Assert.True(datagram.IndexOfAnyExcept((byte)(received + 1)) < 0);
                incoming.CopySource(i, source);
                Assert.Equal(sender.LocalEndPoint, receiver.ToEndPoint(source));
            }
        }

        Assert.Equal(0, sender.SendErrors);
    }

    [Fact]
    public void Receive_NothingQueued_ReturnsZeroAtTimeout()
    {
        using var receiver = BindLoopback();
        using var batch = new DatagramBatch(4, 2048);

        Assert.Equal(0, receiver.ReceiveBatch(batch, 10));
        Assert.Equal(0, batch.Count);
    }

    [Fact]
    public void Receive_AfterDispose_ReturnsMinusOne()
    {
        var receiver = BindLoopback();
        using var batch = new DatagramBatch(4, 2048);
        receiver.Dispose();

        Assert.Equal(-1, receiver.ReceiveBatch(batch, 10));
    }

    [Fact]
    public void Commit_WhenFull_Throws()
    {
        using var batch = new DatagramBatch(2, 64);
        var destination = new IPEndPoint(IPAddress.Loopback, 9).Serialize();
        Queue(batch, 1, 10, destination);
        Queue(batch, 2, 10, destination);

        Assert.True(batch.IsFull);
        Assert.True(batch.NextSlot.IsEmpty);
        Assert.Throws<InvalidOperationException>(() => batch.Commit(10, destination));
    }

    [Fact]
    public void DatagramLargerThanTheSlot_IsReceivedAsEmpty()
    {
        using var sender = BindLoopback();
        using var receiver = BindLoopback();
        using var batch = new DatagramBatch(4, 64);

        sender.Send(new byte[200], receiver.LocalEndPoint);

        Assert.Equal(1, receiver.ReceiveBatch(batch, 5000));
        Assert.Equal(0, batch.Received(0).Length);
    }

    [Fact]
    public void SendAndReceive_InSteadyState_DoNotAllocate()
    {
        using var sender = BindLoopback();
        using var receiver = BindLoopback();
        using var outgoing = new DatagramBatch(8, 2048);
        using var incoming = new DatagramBatch(8, 2048);
        var destination = receiver.LocalEndPoint.Serialize();
        receiver.ReceiveBatch(incoming, 1); // nothing queued: warms up the poll() path
        var received = 0;
        void Round() => received += Exchange(sender, receiver, outgoing, incoming, destination, rounds: 1);

        // The warm-up's first calls and tiering may allocate.
        var (allocated, rounds) = SteadyAllocation.Measure(Round, warmUp: 50, batchSize: 50);

        Assert.Equal(rounds * 4, received);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void SegmentedSend_EqualDatagramsToOnePeer_LeaveAsOneMessageAndArriveOneByOne()
    {
        using var sender = BindLoopback();
        using var receiver = BindLoopback();
        using var outgoing = new DatagramBatch(16, 2048);
        using var incoming = new DatagramBatch(16, 2048);
        Assert.True(sender.EnableSegmentationOffload());
        var destination = receiver.LocalEndPoint.Serialize();
        for (var i = 0; i < 10; i++)
        {
            Queue(outgoing, (byte)(i + 1), 1000, destination);
        }

        Queue(outgoing, 11, 300, destination);

        Assert.Equal(11, sender.SendBatch(outgoing));
        Assert.Equal(1, outgoing.LastSendMessages);
        Assert.True(sender.SegmentationOffload);

        var datagrams = ReceiveAll(receiver, incoming, 11);
        Assert.Equal([.. Enumerable.Repeat(1000, 10), 300], datagrams.Select(d => d.Length));
        for (var i = 0; i < datagrams.Count; i++)
        {
            Assert.True(datagrams[i].AsSpan().IndexOfAnyExcept((byte)(i + 1)) < 0);
        }
    }

    [Fact]
    public void SegmentedSend_ARunEndsAtAnotherPeerAShorterDatagramOrALongerOne()
    {
        using var sender = BindLoopback();
        using var first = BindLoopback();
        using var second = BindLoopback();
        using var outgoing = new DatagramBatch(16, 2048);
        using var incoming = new DatagramBatch(16, 2048);
        Assert.True(sender.EnableSegmentationOffload());
        Queue(outgoing, 1, 500, first.LocalEndPoint.Serialize());
        Queue(outgoing, 2, 500, first.LocalEndPoint.Serialize());
        Queue(outgoing, 3, 500, second.LocalEndPoint.Serialize());
        Queue(outgoing, 4, 400, second.LocalEndPoint.Serialize());
        Queue(outgoing, 5, 500, second.LocalEndPoint.Serialize());

        Assert.Equal(5, sender.SendBatch(outgoing));

        // [500, 500] to the first, [500, 400] to the second, then [500] on its own.
        Assert.Equal(3, outgoing.LastSendMessages);
        Assert.Equal([500, 500], ReceiveAll(first, incoming, 2).Select(d => d.Length));
        Assert.Equal([500, 400, 500], ReceiveAll(second, incoming, 3).Select(d => d.Length));
    }

    [Fact]
    public void SegmentedSend_RunIsCappedAtTheKernelsSegmentLimit()
    {
        using var sender = BindLoopback();
        using var receiver = BindLoopback();
        using var outgoing = new DatagramBatch(DatagramBatch.MaxSegmentsPerSend + 6, 256);
        using var incoming = new DatagramBatch(128, 2048);
        Assert.True(sender.EnableSegmentationOffload());
        for (var i = 0; i < outgoing.Capacity; i++)
        {
            Queue(outgoing, 7, 100, receiver.LocalEndPoint.Serialize());
        }

        Assert.Equal(outgoing.Capacity, sender.SendBatch(outgoing));
        Assert.Equal(2, outgoing.LastSendMessages);
        Assert.Equal(outgoing.Capacity, ReceiveAll(receiver, incoming, outgoing.Capacity).Count);
    }

    [Fact]
    public void PlainSend_IsOneMessagePerDatagram()
    {
        using var sender = BindLoopback();
        using var receiver = BindLoopback();
        using var outgoing = new DatagramBatch(8, 2048);
        using var incoming = new DatagramBatch(8, 2048);
        for (var i = 0; i < 4; i++)
        {
            Queue(outgoing, 1, 500, receiver.LocalEndPoint.Serialize());
        }

        Assert.Equal(4, sender.SendBatch(outgoing));
        Assert.Equal(4, outgoing.LastSendMessages);
        Assert.Equal(4, ReceiveAll(receiver, incoming, 4).Count);
    }

    [Fact]
    public void SegmentedSend_KernelRefuses_TheRunIsSentPlainAndTheRefusalReported()
    {
        // With SO_NO_CHECK (no UDP checksum) the kernel refuses segmentation with EINVAL, as for a device that cannot.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.SetRawSocketOption(1, 11, BitConverter.GetBytes(1));
        using var receiver = BindLoopback();
        using var outgoing = new DatagramBatch(8, 2048);
        using var incoming = new DatagramBatch(8, 2048);
        for (var i = 0; i < 5; i++)
        {
            Queue(outgoing, (byte)(i + 1), 600, receiver.LocalEndPoint.Serialize());
        }

        Assert.Equal(5, outgoing.Send(socket, segmentation: true));

        Assert.Equal(22, outgoing.SegmentationRefusal);
        Assert.Equal(5, outgoing.LastSendMessages);
        var datagrams = ReceiveAll(receiver, incoming, 5);
        Assert.Equal([1, 2, 3, 4, 5], datagrams.Select(d => (int)d[0]));
    }

    [Fact]
    public void ReceiveOffload_TrainsSplitAtTheirSegmentSize_GiveBackEveryDatagramInOrder()
    {
        using var sender = BindLoopback();
        using var receiver = BindLoopback();
        using var outgoing = new DatagramBatch(16, 2048);
        using var incoming = new DatagramBatch(4, 65536);
        Assert.True(sender.EnableSegmentationOffload());
        Assert.True(receiver.EnableReceiveOffload());
        for (var i = 0; i < 8; i++)
        {
            Queue(outgoing, (byte)(i + 1), 700, receiver.LocalEndPoint.Serialize());
        }

        Queue(outgoing, 9, 100, receiver.LocalEndPoint.Serialize());
        Assert.Equal(9, sender.SendBatch(outgoing));

        var datagrams = new List<byte[]>();
        var trains = 0;
        while (datagrams.Count < 9)
        {
            var count = receiver.ReceiveBatch(incoming, 5000);
            Assert.True(count > 0);
            for (var i = 0; i < count; i++)
            {
                trains += incoming.SegmentSize(i) > 0 ? 1 : 0;
                foreach (var datagram in new GroTrain(incoming.Received(i), incoming.SegmentSize(i)))
                {
                    datagrams.Add(datagram.ToArray());
                }
            }
        }

        Assert.Equal([.. Enumerable.Repeat(700, 8), 100], datagrams.Select(d => d.Length));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9], datagrams.Select(d => (int)d[0]));
        Assert.True(trains > 0, "the segmented send should reach a GRO socket as a train");
    }

    private static List<byte[]> ReceiveAll(UdpEndpoint receiver, DatagramBatch incoming, int expected)
    {
        var datagrams = new List<byte[]>();
        while (datagrams.Count < expected)
        {
            var count = receiver.ReceiveBatch(incoming, 5000);
            Assert.True(count > 0);
            for (var i = 0; i < count; i++)
            {
                datagrams.Add(incoming.Received(i).ToArray());
            }
        }

        return datagrams;
    }

    private static int Exchange(UdpEndpoint sender, UdpEndpoint receiver, DatagramBatch outgoing, DatagramBatch incoming, SocketAddress destination, int rounds)
    {
        var received = 0;
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < 4; i++)
            {
                Queue(outgoing, 2, 60, destination);
            }

            sender.SendBatch(outgoing);
            while (received < (round + 1) * 4)
            {
                received += Math.Max(0, receiver.ReceiveBatch(incoming, 5000));
            }
        }

        return received;
    }
}
