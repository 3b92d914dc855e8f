using System.Net;
using System.Net.Sockets;

namespace SharpSwan.Platform;

/// <summary>
/// A bound UDP socket for IKE (500) and NAT-T (4500). The <see cref="SocketAddress"/> overloads of Receive and Send do
/// not allocate, for the ESP hot path; the <see cref="IPEndPoint"/> overloads are for IKE. Send and receive failures are
/// counted, not thrown, so one bad peer cannot stop the I/O loop.
/// </summary>
public sealed class UdpEndpoint : IDisposable
{
    /// <summary>Kernel socket buffer size asked for in each direction, so bursts of ESP are not dropped.</summary>
    public const int BufferSize = 4 * 1024 * 1024;

    // SO_SNDBUFFORCE / SO_RCVBUFFORCE let root exceed net.core.[rw]mem_max.
    private const int SocketLevel = 1;
    private const int SendBufferForce = 32;
    private const int ReceiveBufferForce = 33;
    private const int ReusePort = 15;
    private const int SolUdp = 17;
    private const int SolIp = 0;
    private const int IpReceiveTos = 13;
    private const int UdpSegment = 103;
    private const int UdpGro = 104;

    private readonly Socket _socket;
    private long _sendErrors;
    private long _receiveErrors;
    private volatile bool _disposed;
    private volatile bool _segmentation;

    private UdpEndpoint(Socket socket)
    {
        _socket = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>The bound address; the port is the real one even when Bind was given port 0.</summary>
    public IPEndPoint LocalEndPoint { get; }

    public AddressFamily AddressFamily => LocalEndPoint.AddressFamily;

    /// <summary>Datagrams that could not be sent (including drops because the send buffer was full).</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    /// <summary>Receive calls that failed (e.g. a truncated datagram or an error queued by ICMP).</summary>
    public long ReceiveErrors => Interlocked.Read(ref _receiveErrors);

    /// <summary>Datagrams the kernel dropped because this socket's receive queue was full (read from the kernel on each call).</summary>
    public long ReceiveQueueDrops => SocketDrops.Read(_socket);

    /// <summary>True while sends use UDP segmentation offload (after <see cref="EnableSegmentationOffload"/>, until the kernel refuses one).</summary>
    public bool SegmentationOffload => _segmentation;

    /// <summary>True once <see cref="EnableReceiveOffload"/> succeeded: received datagrams may be GRO trains.</summary>
    public bool ReceiveOffload { get; private set; }

    /// <summary>
    /// Called once, from the sending thread, when the kernel refused a segmented send (with its errno): sends are plain
    /// sendmmsg from then on.
    /// </summary>
    public Action<int>? SegmentationRefused { get; set; }

    /// <summary>The receive buffer the kernel actually granted (Linux reports twice the requested size).</summary>
    public int ReceiveBufferSize => _socket.ReceiveBufferSize;

    /// <summary>The send buffer the kernel actually granted.</summary>
    public int SendBufferSize => _socket.SendBufferSize;

    /// <summary>Binds a UDP socket to <paramref name="local"/> with SO_REUSEADDR and ~4 MB buffers.</summary>
    /// <exception cref="SocketException">The address cannot be bound (in use, not local, ...).</exception>
    public static UdpEndpoint Bind(IPEndPoint local) => Bind(local, sharePort: false);

    /// <summary>
    /// <see cref="Bind(IPEndPoint)"/>; with <paramref name="sharePort"/> also SO_REUSEPORT, so several sockets of this
    /// process (one per data-plane worker) bind the same address and port and the kernel spreads incoming datagrams over
    /// them by a hash of source and destination address and port: one peer's datagrams always reach the same socket
    /// while the set of sockets stays the same.
    /// </summary>
    /// <exception cref="SocketException">The address cannot be bound (in use, not local, ...).</exception>
    public static UdpEndpoint Bind(IPEndPoint local, bool sharePort)
    {
        ArgumentNullException.ThrowIfNull(local);
        var socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (sharePort)
            {
                socket.SetRawSocketOption(SocketLevel, ReusePort, BitConverter.GetBytes(1));
            }

            SetBufferSize(socket, ReceiveBufferForce, SocketOptionName.ReceiveBuffer);
            SetBufferSize(socket, SendBufferForce, SocketOptionName.SendBuffer);
            socket.Bind(local);

            // Poll does the waiting; the socket itself never blocks, so a spurious wake-up or a full send buffer
            // cannot stall the I/O thread (a full buffer drops the datagram and counts it).
            socket.Blocking = false;
            return new UdpEndpoint(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A <see cref="SocketAddress"/> of this endpoint's family, big enough for any peer, to reuse with the allocation-free overloads.</summary>
    public SocketAddress CreateAddressBuffer() =>
        new(AddressFamily, SocketAddress.GetMaximumAddressSize(AddressFamily));

    /// <summary>Turns a received <see cref="SocketAddress"/> into an <see cref="IPEndPoint"/> (allocates).</summary>
    public IPEndPoint ToEndPoint(SocketAddress address) => (IPEndPoint)LocalEndPoint.Create(address);

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> (negative: no limit) for one datagram.</summary>
    /// <returns>Its length; 0 on timeout (or an empty datagram, or a counted error); -1 once disposed.</returns>
    public int Receive(Span<byte> buffer, out IPEndPoint remote, int timeoutMilliseconds)
    {
        SocketAddress address = CreateAddressBuffer();
        int received = Receive(buffer, address, timeoutMilliseconds);
        remote = received > 0 ? ToEndPoint(address) : LocalEndPoint;
        return received;
    }

    /// <summary>
    /// Allocation-free receive: the sender's address is written into <paramref name="remoteAddress"/>, which must be of
    /// this endpoint's family (see <see cref="CreateAddressBuffer"/>). Do not share one buffer between threads.
    /// </summary>
    /// <returns>The datagram length; 0 on timeout (or an empty datagram, or a counted error); -1 once disposed.</returns>
    public int Receive(Span<byte> buffer, SocketAddress remoteAddress, int timeoutMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(remoteAddress);
        if (_disposed)
        {
            return -1;
        }

        try
        {
            var received = DatagramReceiver.Receive(_socket, buffer, remoteAddress, timeoutMilliseconds);
            return _disposed ? -1 : received;
        }
        catch (ObjectDisposedException)
        {
            return -1;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.WouldBlock)
        {
            // Readiness without a datagram (e.g. one dropped for a bad checksum): just a timeout to the caller.
            return _disposed ? -1 : 0;
        }
        catch (SocketException)
        {
            if (_disposed)
            {
                return -1;
            }

            Interlocked.Increment(ref _receiveErrors);
            return 0;
        }
    }

    /// <summary>Sends one datagram to <paramref name="remote"/>; a failure increments <see cref="SendErrors"/>.</summary>
    public void Send(ReadOnlySpan<byte> data, IPEndPoint remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        try
        {
            _socket.SendTo(data, SocketFlags.None, remote);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Interlocked.Increment(ref _sendErrors);
        }
    }

    /// <summary>Allocation-free send to an address obtained from Receive or <see cref="IPEndPoint.Serialize"/>.</summary>
    public void Send(ReadOnlySpan<byte> data, SocketAddress remoteAddress)
    {
        ArgumentNullException.ThrowIfNull(remoteAddress);
        try
        {
            _socket.SendTo(data, SocketFlags.None, remoteAddress);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Interlocked.Increment(ref _sendErrors);
        }
    }

    /// <summary>
    /// Sends every datagram queued in <paramref name="batch"/> with sendmmsg, runs of equal-size datagrams as one
    /// segmented message each while <see cref="SegmentationOffload"/> is on (see <see cref="DatagramBatch.Send(Socket, bool)"/>).
    /// </summary>
    public int SendBatch(DatagramBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var before = batch.SendErrors;
        var sent = batch.Send(_socket, _segmentation);
        Interlocked.Add(ref _sendErrors, batch.SendErrors - before);
        if (_segmentation && batch.SegmentationRefusal != 0)
        {
            _segmentation = false;
            SegmentationRefused?.Invoke(batch.SegmentationRefusal);
        }

        return sent;
    }

    /// <summary>
    /// Lets <see cref="SendBatch"/> hand the kernel runs of equal-size datagrams in one message (UDP_SEGMENT). Checks once
    /// that the kernel knows the option; a device that cannot take it shows only at the first send, which then falls
    /// back (see <see cref="SegmentationRefused"/>).
    /// </summary>
    /// <returns>False when the kernel does not know UDP_SEGMENT (sends stay one datagram per message).</returns>
    public bool EnableSegmentationOffload()
    {
        // Setting the socket-wide segment size to 0 changes nothing but proves the kernel has the option.
        _segmentation = TrySetUdpOption(UdpSegment, 0);
        return _segmentation;
    }

    /// <summary>
    /// Asks the kernel to deliver runs of equal-size datagrams from one sender as one GRO train (UDP_GRO); a receiver
    /// must then split them (see <see cref="DatagramBatch.SegmentSize"/>).
    /// </summary>
    /// <returns>False when the kernel refused; datagrams then arrive one by one as before.</returns>
    public bool EnableReceiveOffload()
    {
        ReceiveOffload = TrySetUdpOption(UdpGro, 1);
        return ReceiveOffload;
    }

    /// <summary>
    /// Asks the kernel for each received datagram's IP TOS byte (IP_RECVTOS), read back with
    /// <see cref="DatagramBatch.Tos"/>: what <c>inbound-dscp-copy</c> copies into a decrypted packet.
    /// </summary>
    /// <returns>False when the kernel refused; <see cref="DatagramBatch.Tos"/> then reports none.</returns>
    public bool EnableReceiveTos()
    {
        Span<byte> bytes = stackalloc byte[sizeof(int)];
        BitConverter.TryWriteBytes(bytes, 1);
        try
        {
            _socket.SetRawSocketOption(SolIp, IpReceiveTos, bytes);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private bool TrySetUdpOption(int option, int value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(int)];
        BitConverter.TryWriteBytes(bytes, value);
        try
        {
            _socket.SetRawSocketOption(SolUdp, option, bytes);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Fills <paramref name="batch"/> with recvmmsg, waiting up to <paramref name="timeoutMilliseconds"/> for the first datagram.</summary>
    /// <returns>Datagrams received; 0 on timeout; -1 once disposed.</returns>
    public int ReceiveBatch(DatagramBatch batch, int timeoutMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_disposed)
        {
            return -1;
        }

        var received = batch.Receive(_socket, timeoutMilliseconds);
        return _disposed ? -1 : received;
    }

    /// <summary>Closes the socket; a thread blocked in Receive returns -1.</summary>
    public void Dispose()
    {
        _disposed = true;
        _socket.Dispose();
    }

    private static void SetBufferSize(Socket socket, int forceOption, SocketOptionName fallback)
    {
        Span<byte> value = stackalloc byte[sizeof(int)];
        BitConverter.TryWriteBytes(value, BufferSize);
        try
        {
            socket.SetRawSocketOption(SocketLevel, forceOption, value);
        }
        catch (SocketException)
        {
            // Not privileged: the kernel caps the plain option at net.core.[rw]mem_max, which is still worth asking for.
            socket.SetSocketOption(SocketOptionLevel.Socket, fallback, BufferSize);
        }
    }
}
