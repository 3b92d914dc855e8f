using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SharpSwan.Crypto;
using SharpSwan.Gateway.DataPlane;

namespace SharpSwan.Gateway.Tests.DataPlane;

/// <summary>
/// A packet thread never dies silently: a packet whose handling throws is dropped and counted while the thread keeps
/// reading, and a thread that fails outside a packet is logged, counted and started again.
/// </summary>
public sealed class PacketThreadFaultTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly EspDataPlane _dataPlane = new(SystemRandomSource.Instance, TimeProvider.System);
    private readonly BlockingCollection<byte[]> _received = [];
    private readonly ConcurrentQueue<string> _log = new();
    private readonly int _ikePort = FreeUdpPort();

    public PacketThreadFaultTests()
    {
        _dataPlane.Log = _log.Enqueue;
        _dataPlane.IkeReceived = (_, _, message) => _received.Add(message);
    }

    [Fact]
    public void A_packet_that_throws_is_dropped_and_counted_and_the_next_one_is_handled()
    {
        _dataPlane.PacketFault = datagram =>
        {
            if (datagram[0] == 0xEE)
            {
                throw new InvalidOperationException("injected packet fault");
            }
        };
        Bind();

        Send([0xEE, 1, 2, 3]);
        Send([0x01, 1, 2, 3]);

        Assert.True(_received.TryTake(out var message, Patience), "the IKE reader stopped after a failing packet");
        Assert.Equal([0x01, 1, 2, 3], message);
        Assert.Equal(1, Interlocked.Read(ref _dataPlane.PacketErrors));
        Assert.Equal(0, Interlocked.Read(ref _dataPlane.ThreadRestarts));
        Assert.Single(_log);
    }

    [Fact]
    public void A_thread_that_fails_outside_a_packet_is_logged_and_restarted()
    {
        var failures = 0;
        _dataPlane.LoopFault = thread =>
        {
            if (thread == $"udp-{_ikePort}" && Interlocked.Increment(ref failures) == 1)
            {
                throw new InvalidOperationException("injected loop fault");
            }
        };
        Bind();

        Send([0x02, 1, 2, 3]);

        Assert.True(_received.TryTake(out var message, Patience), "the IKE reader was not restarted");
        Assert.Equal([0x02, 1, 2, 3], message);
        Assert.Equal(1, Interlocked.Read(ref _dataPlane.ThreadRestarts));
        Assert.Equal(0, Interlocked.Read(ref _dataPlane.PacketErrors));
        Assert.Single(_log);
    }

    public void Dispose()
    {
        _dataPlane.Dispose();
        _received.Dispose();
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }

    private void Bind() => _dataPlane.BindLocal(IPAddress.Loopback, _ikePort, FreeUdpPort());

    private void Send(byte[] datagram)
    {
        using var client = new UdpClient();
        client.Send(datagram, new IPEndPoint(IPAddress.Loopback, _ikePort));
    }
}
