using System.Net;
using System.Net.Sockets;
using SharpSwan.Testing;

namespace SharpSwan.Platform.Tests;

public sealed class UdpEndpointTests
{
    private const int Patience = 5000;

    [Fact]
    public void Bind_PortZero_ReportsTheRealPort()
    {
        using UdpEndpoint endpoint = UdpEndpoint.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        Assert.Equal(IPAddress.Loopback, endpoint.LocalEndPoint.Address);
        Assert.NotEqual(0, endpoint.LocalEndPoint.Port);
    }

    [Fact]
    public void Bind_AsRoot_GetsBuffersOfAtLeastFourMegabytes()
    {
        RootRequirement.Ensure();
        using UdpEndpoint endpoint = UdpEndpoint.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        Assert.True(endpoint.ReceiveBufferSize >= UdpEndpoint.BufferSize, $"receive buffer {endpoint.ReceiveBufferSize}");
        Assert.True(endpoint.SendBufferSize >= UdpEndpoint.BufferSize, $"send buffer {endpoint.SendBufferSize}");
    }

    [Fact]
    public void SendAndReceive_WithEndPoints_DeliversDataAndSender()
    {
        using UdpEndpoint a = UdpEndpoint.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using UdpEndpoint b = UdpEndpoint.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        byte[] buffer = new byte[1500];

        a.Send("IKE_SA_INIT"u8, b.LocalEndPoint);
        int length = b.Receive(buffer, out IPEndPoint remote, Patience);

        Assert.Equal("IKE_SA_INIT"u8.ToArray(), buffer[..length]);
        Assert.Equal(a.LocalEndPoint, remote);
        Assert.Equal(0, a.SendErrors);
    }

    [Fact]
    public void SendAndReceive_WithSocketAddresses_RoundTripsAndDoesNotAllocate()
    {
        using UdpEndpoint a = UdpEndpoint.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using UdpEndpoint b = UdpEndpoint.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        SocketAddress toB = b.LocalEndPoint.Serialize();
        SocketAddress from = b.CreateAddressBuffer();
        byte[] packet = [0xc0, 0xff, 0xee, 0x01, 0, 0, 0, 1, 0xaa, 0xbb];
        byte[] buffer = new byte[1500];

        // Warm up once so JIT and first-use initialisation are not counted.
        a.Send(packet, toB);
        Assert.Equal(packet.Length, b.Receive(buffer, from, Patience));

        int received = 0;
        void RoundTrip()
        {
            a.Send(packet, toB);
            received += b.Receive(buffer, from, Patience);
        }

        (long allocated, int roundTrips) = SteadyAllocation.Measure(RoundTrip, warmUp: 0, batchSize: 20);
        Assert.Equal(roundTrips * packet.Length, received);
        Assert.Equal(packet, buffer[..packet.Length]);
        Assert.Equal(a.LocalEndPoint, b.ToEndPoint(from));
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Receive_NothingArrives_ReturnsZero()
    {
        using UdpEndpoint endpoint = UdpEndpoint.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        Assert.Equal(0, endpoint.Receive(new byte[100], out _, timeoutMilliseconds: 20));
        Assert.Equal(0, endpoint.Receive(new byte[100], endpoint.CreateAddressBuffer(), timeoutMilliseconds: 0));
    }

    [Fact]
    public void Receive_AfterDispose_ReturnsMinusOne()
    {
        UdpEndpoint endpoint = UdpEndpoint.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        SocketAddress address = endpoint.CreateAddressBuffer();
        endpoint.Dispose();

        Assert.Equal(-1, endpoint.Receive(new byte[100], out _, 1000));
        Assert.Equal(-1, endpoint.Receive(new byte[100], address, 1000));
    }

    [Fact]
    public async Task Dispose_WhileAReceiverWaits_ReceiverReturnsMinusOne()
    {
        UdpEndpoint endpoint = UdpEndpoint.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var started = new ManualResetEventSlim();
        Task<int> receiver = Task.Factory.StartNew(
            () =>
            {
                started.Set();
                return endpoint.Receive(new byte[100], out _, timeoutMilliseconds: 3000);
            },
            TaskCreationOptions.LongRunning);
        started.Wait();

        endpoint.Dispose();

        Assert.Equal(-1, await receiver.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Send_TheKernelRefuses_IsCountedNotThrown()
    {
        using UdpEndpoint endpoint = UdpEndpoint.Bind(new IPEndPoint(IPAddress.Any, 0));

        // Broadcast without SO_BROADCAST fails in sendto() itself (EACCES): nothing leaves the machine.
        endpoint.Send("x"u8, new IPEndPoint(IPAddress.Broadcast, 9));
        endpoint.Send("x"u8, new IPEndPoint(IPAddress.Broadcast, 9).Serialize());

        Assert.Equal(2, endpoint.SendErrors);
    }

    [Fact]
    public void Send_AfterDispose_IsCountedNotThrown()
    {
        UdpEndpoint endpoint = UdpEndpoint.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        endpoint.Dispose();

        endpoint.Send("x"u8, new IPEndPoint(IPAddress.Loopback, 9));

        Assert.Equal(1, endpoint.SendErrors);
    }

    [Fact]
    public void ReceiveBatch_WithReceiveTos_ReportsEachDatagramsTos_AndWithoutIt_None()
    {
        using UdpEndpoint receiver = UdpEndpoint.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using UdpEndpoint plain = UdpEndpoint.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        Assert.True(receiver.EnableReceiveTos());
        using var batch = new DatagramBatch(4, 256);

        sender.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.TypeOfService, 0xB8);
        sender.SendTo("ef"u8, receiver.LocalEndPoint);
        sender.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.TypeOfService, 0x28);
        sender.SendTo("af11"u8, receiver.LocalEndPoint);
        sender.SendTo("plain"u8, plain.LocalEndPoint);

        var count = 0;
        var seen = new List<int>();
        while (seen.Count < 2 && (count = receiver.ReceiveBatch(batch, Patience)) > 0)
        {
            seen.AddRange(Enumerable.Range(0, count).Select(batch.Tos));
        }

        Assert.Equal([0xB8, 0x28], seen);
        Assert.Equal(1, plain.ReceiveBatch(batch, Patience));
        Assert.Equal(-1, batch.Tos(0));
    }

    [Fact]
    public void Bind_AddressInUseByAnotherSocketWithoutReuse_Throws()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        Assert.Throws<SocketException>(() => UdpEndpoint.Bind((IPEndPoint)holder.LocalEndPoint!));
    }
}
