using System.Net;
using System.Net.Sockets;

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
        Exchange(sender, receiver, outgoing, incoming, destination, rounds: 50); // first calls and tiering may allocate

        long before = GC.GetAllocatedBytesForCurrentThread();
        var received = Exchange(sender, receiver, outgoing, incoming, destination, rounds: 50);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(200, received);
        Assert.Equal(0, allocated);
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
