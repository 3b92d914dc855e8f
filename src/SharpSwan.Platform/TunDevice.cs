using System.Runtime.InteropServices;
using System.Text;
using SharpSwan.Platform.Interop;

namespace SharpSwan.Platform;

/// <summary>
/// A layer-3 TUN device (IFF_TUN | IFF_NO_PI | IFF_VNET_HDR). <see cref="Read"/> and <see cref="Write"/> move one plain IP
/// packet each (the virtio header is hidden); after <see cref="EnableOffloads"/>, <see cref="ReadFrame"/> and
/// <see cref="WriteFrame"/> move a <see cref="VirtioNetHeader"/> followed by a packet that may be a TCP super-packet of up
/// to 64 KB, so one system call carries many segments. The device exists only while this object holds its descriptor;
/// disposing removes it together with its addresses and routes. All I/O is safe from different threads and never allocates.
/// Created with several queues (IFF_MULTI_QUEUE), the device has one descriptor per queue: the kernel hands each
/// outgoing flow to one queue (<see cref="TryReadFrame(Span{byte}, int)"/> reads one), and a write goes to the queue of
/// its flow (<see cref="TunQueueSelector"/>), which the kernel remembers, so both directions of a flow keep to one queue.
/// </summary>
public sealed unsafe class TunDevice : IDisposable
{
    private const string CloneDevicePath = "/dev/net/tun";
    private const nuint TunSetInterface = 0x400454ca;
    private const short InterfaceFlagTun = 0x0001;
    private const short InterfaceFlagNoPacketInfo = 0x1000;
    private const short InterfaceFlagVirtioHeader = 0x4000;
    private const short InterfaceFlagMultiQueue = 0x0100;

    // IFF_TUN_EXCL: fail rather than attach when the name exists, so a multi-queue device's first queue never joins another's device.
    private const int InterfaceFlagExclusive = 0x8000;

    /// <summary>The kernel's limit on the queues of one TUN device (MAX_TAP_QUEUES).</summary>
    public const int MaxQueues = 256;
    private const nuint TunSetOffload = 0x400454d0;
    private const nuint OffloadChecksum = 0x01;
    private const nuint OffloadTcpV4 = 0x02;

    // TUN_F_USO4 | TUN_F_USO6 (kernel 6.2+): the kernel takes both or neither.
    private const nuint OffloadUdp = 0x20 | 0x40;
    private const int InterfaceRequestSize = 40;
    private const int InterfaceRequestFlagsOffset = 16;

    // Queue 0's descriptor; _queues holds it and the other queues' (one entry when not multi-queue).
    private readonly FileDescriptorHandle _device;
    private readonly FileDescriptorHandle[] _queues;

    // An eventfd that Dispose signals so a reader parked in poll() wakes up at once instead of at its timeout.
    private readonly FileDescriptorHandle _wakeUp;
    private long _writeErrors;
    private volatile bool _disposed;

    private TunDevice(FileDescriptorHandle[] queues, FileDescriptorHandle wakeUp, string name, int interfaceIndex)
    {
        _queues = queues;
        _device = queues[0];
        _wakeUp = wakeUp;
        Name = name;
        InterfaceIndex = interfaceIndex;
    }

    /// <summary>The interface name as the kernel registered it.</summary>
    public string Name { get; }

    /// <summary>Queues (descriptors) of the device: 1, or what <see cref="Create(string, int)"/> was asked for.</summary>
    public int QueueCount => _queues.Length;

    /// <summary>The kernel's ifindex for the device.</summary>
    public int InterfaceIndex { get; }

    /// <summary>True once <see cref="EnableOffloads"/> succeeded: reads may then return super-packets and unfinished checksums.</summary>
    public bool OffloadsEnabled { get; private set; }

    /// <summary>
    /// True when <see cref="EnableOffloads"/> also got UDP segmentation offload (USO): reads may return UDP super-packets
    /// (GSO type UDP_L4) and <see cref="WriteFrame"/> may hand the kernel one.
    /// </summary>
    public bool UdpOffloadEnabled { get; private set; }

    /// <summary>Writes the kernel refused (malformed packet, device down, after Dispose, ...).</summary>
    public long WriteErrors => Interlocked.Read(ref _writeErrors);

    /// <summary>A write made elsewhere (<see cref="TunWriteRing"/>) was refused.</summary>
    internal void CountWriteError() => Interlocked.Increment(ref _writeErrors);

    /// <summary>
    /// Creates a TUN device named <paramref name="name"/> in the namespace of the calling process. Needs
    /// CAP_NET_ADMIN. The device starts down and without addresses.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty, longer than 15 characters or has characters Linux rejects.</exception>
    /// <exception cref="IOException">The kernel refused (no permission, name in use by another device, ...).</exception>
    public static TunDevice Create(string name) => Create(name, 1);

    /// <summary>
    /// Creates the device with <paramref name="queues"/> queues (IFF_MULTI_QUEUE when more than one), one descriptor each,
    /// so as many threads can read it without sharing a descriptor.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 1 or more than <see cref="MaxQueues"/> queues.</exception>
    /// <inheritdoc cref="Create(string)"/>
    public static TunDevice Create(string name, int queues)
    {
        InterfaceName.Validate(name, nameof(name));
        ArgumentOutOfRangeException.ThrowIfLessThan(queues, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(queues, MaxQueues);
        var first = CreateQueue(name, queues > 1, out var actualName, out var index, exclusive: queues > 1);
        var handles = new FileDescriptorHandle[queues];
        handles[0] = first;
        try
        {
            for (var queue = 1; queue < queues; queue++)
            {
                // Each further TUNSETIFF on the same name attaches one more queue to the device.
                handles[queue] = CreateQueue(actualName, multiQueue: true, out _, out _, exclusive: false);
            }

            int wakeFd = LibC.EventFd(0, LibC.EventFdCloseOnExec | LibC.EventFdNonBlocking);
            if (wakeFd < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                throw new IOException($"cannot create eventfd for TUN device {actualName}: {LibC.ErrorText(errno)}");
            }

            return new TunDevice(handles, new FileDescriptorHandle(wakeFd), actualName, index);
        }
        catch
        {
            foreach (var handle in handles)
            {
                handle?.Dispose();
            }

            throw;
        }
    }

    /// <summary>Opens the clone device and attaches it to the TUN device <paramref name="name"/> (created by the first queue).</summary>
    private static FileDescriptorHandle CreateQueue(string name, bool multiQueue, out string actualName, out int index, bool exclusive)
    {
        int fd = LibC.Open(CloneDevicePath, LibC.OpenReadWrite | LibC.OpenNonBlocking | LibC.OpenCloseOnExec);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"cannot open {CloneDevicePath}: {LibC.ErrorText(errno)}");
        }

        var device = new FileDescriptorHandle(fd);
        try
        {
            byte* request = stackalloc byte[InterfaceRequestSize];
            new Span<byte>(request, InterfaceRequestSize).Clear();
            Encoding.ASCII.GetBytes(name, new Span<byte>(request, InterfaceName.MaxLength));
            *(short*)(request + InterfaceRequestFlagsOffset) = unchecked((short)(InterfaceFlagTun | InterfaceFlagNoPacketInfo | InterfaceFlagVirtioHeader |
                (multiQueue ? InterfaceFlagMultiQueue : 0) | (exclusive ? InterfaceFlagExclusive : 0)));

            if (LibC.IoControl(fd, TunSetInterface, request) < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                throw new IOException($"cannot create TUN device {name}: {LibC.ErrorText(errno)}");
            }

            var registeredName = new Span<byte>(request, InterfaceName.MaxLength + 1);
            int nameEnd = registeredName.IndexOf((byte)0);
            actualName = Encoding.ASCII.GetString(registeredName[..(nameEnd < 0 ? InterfaceName.MaxLength : nameEnd)]);

            index = (int)LibC.InterfaceNameToIndex(actualName);
            if (index == 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                throw new IOException($"TUN device {actualName} was created but has no ifindex: {LibC.ErrorText(errno)}");
            }

            return device;
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits up to <paramref name="timeoutMilliseconds"/> (negative: until a packet arrives or the device is
    /// disposed) and reads one packet into <paramref name="buffer"/>.
    /// </summary>
    /// <returns>The packet length; 0 when the timeout expired; -1 once the device is disposed.</returns>
    /// <remarks>A packet larger than the buffer is truncated by the kernel; size the buffer for the MTU.</remarks>
    public int Read(Span<byte> buffer, int timeoutMilliseconds) => ReadCore(buffer, withHeader: false, timeoutMilliseconds);

    /// <summary>
    /// Like <see cref="Read"/>, but the frame keeps its <see cref="VirtioNetHeader"/> (the first <see cref="VirtioNetHeader.Size"/>
    /// bytes). With offloads on, the packet after it can be a TCP super-packet (size the buffer for 64 KB + header).
    /// </summary>
    /// <returns>The frame length (header included); 0 when the timeout expired; -1 once the device is disposed.</returns>
    public int ReadFrame(Span<byte> frame, int timeoutMilliseconds) => ReadCore(frame, withHeader: true, timeoutMilliseconds);

    /// <summary>
    /// Reads one frame (with its <see cref="VirtioNetHeader"/>) if one is waiting, without waiting: what a thread that polls
    /// many devices (<see cref="TunWorkerPool{T}"/>) calls when the device is readable. Safe against a concurrent
    /// <see cref="Dispose"/>: the descriptor is closed only after a read in progress has returned.
    /// </summary>
    /// <returns>The frame length (header included); 0 when nothing is waiting; -1 once the device is disposed.</returns>
    public int TryReadFrame(Span<byte> frame) => TryReadFrame(frame, 0);

    /// <summary><see cref="TryReadFrame(Span{byte})"/> from one queue of a multi-queue device (0 to <see cref="QueueCount"/> - 1).</summary>
    public int TryReadFrame(Span<byte> frame, int queue)
    {
        if (frame.Length <= VirtioNetHeader.Size)
        {
            throw new ArgumentException("The read buffer is too small.", nameof(frame));
        }

        if (_disposed)
        {
            return -1;
        }

        var device = _queues[queue];
        bool referenced = false;
        try
        {
            device.DangerousAddRef(ref referenced);
            while (true)
            {
                nint count = ReadOnce(device.Descriptor, frame, withHeader: true);
                if (count >= 0)
                {
                    return (int)count;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno == LibC.EAGAIN)
                {
                    return 0;
                }

                if (errno != LibC.EINTR)
                {
                    throw new IOException($"read from TUN device {Name} failed: {LibC.ErrorText(errno)}");
                }
            }
        }
        catch (ObjectDisposedException)
        {
            return -1;
        }
        finally
        {
            if (referenced)
            {
                device.DangerousRelease();
            }
        }
    }

    /// <summary>True once <see cref="Dispose"/> ran: the device is gone or going.</summary>
    public bool IsDisposed => _disposed;

    /// <summary>The descriptor, for registering the device with an epoll set (which references it around each use).</summary>
    internal FileDescriptorHandle Handle => _device;

    /// <summary>One queue's descriptor, for registering it with the epoll set of the worker that reads that queue.</summary>
    internal FileDescriptorHandle QueueHandle(int queue) => _queues[queue];

    /// <summary>The queue a frame (virtio header first) is written to: its flow's, so the kernel keeps the flow's replies there.</summary>
    internal FileDescriptorHandle WriteHandle(ReadOnlySpan<byte> frame)
        => _queues.Length == 1 ? _device : _queues[TunQueueSelector.Select(frame[VirtioNetHeader.Size..], _queues.Length)];

    /// <summary>
    /// Asks the kernel for TCP segmentation offload and checksum offload (TUNSETOFFLOAD with TUN_F_CSUM | TUN_F_TSO4), and
    /// UDP segmentation offload (TUN_F_USO4 | TUN_F_USO6) where the kernel has it: the local stack then hands over TCP and
    /// UDP super-packets, which the reader must segment and checksum itself.
    /// </summary>
    /// <returns>False when the kernel refused even TSO; the device keeps working without offloads.</returns>
    public bool EnableOffloads()
    {
        bool referenced = false;
        try
        {
            _device.DangerousAddRef(ref referenced);
            UdpOffloadEnabled = LibC.IoControlValue(_device.Descriptor, TunSetOffload, OffloadChecksum | OffloadTcpV4 | OffloadUdp) == 0;
            OffloadsEnabled = UdpOffloadEnabled ||
                LibC.IoControlValue(_device.Descriptor, TunSetOffload, OffloadChecksum | OffloadTcpV4) == 0;
            return OffloadsEnabled;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            if (referenced)
            {
                _device.DangerousRelease();
            }
        }
    }

    private int ReadCore(Span<byte> buffer, bool withHeader, int timeoutMilliseconds)
    {
        if (buffer.Length <= (withHeader ? VirtioNetHeader.Size : 0))
        {
            throw new ArgumentException("The read buffer is too small.", nameof(buffer));
        }

        if (_disposed)
        {
            return -1;
        }

        bool deviceReferenced = false;
        bool wakeUpReferenced = false;
        try
        {
            _device.DangerousAddRef(ref deviceReferenced);
            _wakeUp.DangerousAddRef(ref wakeUpReferenced);
            return ReadReferenced(buffer, withHeader, timeoutMilliseconds);
        }
        catch (ObjectDisposedException)
        {
            // Dispose won the race between the check above and AddRef.
            return -1;
        }
        finally
        {
            if (wakeUpReferenced)
            {
                _wakeUp.DangerousRelease();
            }

            if (deviceReferenced)
            {
                _device.DangerousRelease();
            }
        }
    }

    /// <returns>Bytes read into <paramref name="buffer"/> (the header counts only when <paramref name="withHeader"/>), or -1 with errno set.</returns>
    private static nint ReadOnce(int fd, Span<byte> buffer, bool withHeader)
    {
        fixed (byte* destination = buffer)
        {
            if (withHeader)
            {
                return LibC.Read(fd, destination, (nuint)buffer.Length);
            }

            byte* header = stackalloc byte[VirtioNetHeader.Size];
            LibC.IoVector* vectors = stackalloc LibC.IoVector[2];
            vectors[0] = new LibC.IoVector { Base = header, Length = VirtioNetHeader.Size };
            vectors[1] = new LibC.IoVector { Base = destination, Length = (nuint)buffer.Length };
            nint count = LibC.ReadVector(fd, vectors, 2);
            return count < 0 ? count : Math.Max(0, count - VirtioNetHeader.Size);
        }
    }

    private int ReadReferenced(Span<byte> buffer, bool withHeader, int timeoutMilliseconds)
    {
        int deviceFd = _device.Descriptor;
        long deadline = timeoutMilliseconds < 0 ? long.MaxValue : Environment.TickCount64 + timeoutMilliseconds;
        LibC.PollDescriptor* descriptors = stackalloc LibC.PollDescriptor[2];

        // Under load a packet is usually waiting already: try the (non-blocking) read before paying for poll().
        nint ready = ReadOnce(deviceFd, buffer, withHeader);
        if (ready >= 0)
        {
            return (int)ready;
        }

        while (true)
        {
            if (_disposed)
            {
                return -1;
            }

            int wait = timeoutMilliseconds < 0 ? -1 : (int)Math.Max(0, deadline - Environment.TickCount64);
            descriptors[0] = new LibC.PollDescriptor { FileDescriptor = deviceFd, Events = LibC.PollIn };
            descriptors[1] = new LibC.PollDescriptor { FileDescriptor = _wakeUp.Descriptor, Events = LibC.PollIn };

            int polled = LibC.Poll(descriptors, 2, wait);
            if (polled < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == LibC.EINTR)
                {
                    continue;
                }

                throw new IOException($"poll on TUN device {Name} failed: {LibC.ErrorText(errno)}");
            }

            if (_disposed || descriptors[1].ReturnedEvents != 0)
            {
                return -1;
            }

            if (polled == 0)
            {
                return 0;
            }

            short events = descriptors[0].ReturnedEvents;
            if ((events & LibC.PollIn) != 0)
            {
                nint count = ReadOnce(deviceFd, buffer, withHeader);

                if (count >= 0)
                {
                    return (int)count;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno is LibC.EAGAIN or LibC.EINTR)
                {
                    // Readiness was spurious or a signal interrupted us: wait again for what is left of the timeout.
                    if (Environment.TickCount64 >= deadline)
                    {
                        return 0;
                    }

                    continue;
                }

                throw new IOException($"read from TUN device {Name} failed: {LibC.ErrorText(errno)}");
            }

            if ((events & (LibC.PollError | LibC.PollHangUp | LibC.PollInvalid)) != 0)
            {
                throw new IOException($"TUN device {Name} reported poll events 0x{events:x}.");
            }
        }
    }

    /// <summary>
    /// Injects one IP packet into the kernel as if it had arrived on this interface. A failure (malformed packet,
    /// device down, disposed) is counted in <see cref="WriteErrors"/> rather than thrown: the data plane drops and moves on.
    /// </summary>
    public void Write(ReadOnlySpan<byte> packet) => WriteCore(packet, withHeader: false);

    /// <summary>
    /// Injects a frame that starts with a <see cref="VirtioNetHeader"/>; the packet after it may be a TCP super-packet
    /// (GSO type TCPv4, NEEDS_CSUM with the pseudo-header sum in the TCP checksum field), which the kernel takes as one unit.
    /// </summary>
    public void WriteFrame(ReadOnlySpan<byte> frame)
    {
        if (frame.Length <= VirtioNetHeader.Size)
        {
            Interlocked.Increment(ref _writeErrors);
            return;
        }

        WriteCore(frame, withHeader: true);
    }

    /// <summary>
    /// Injects a frame given as pieces (<see cref="TunGatherFrame"/>) with one writev: the same bytes as
    /// <see cref="WriteFrame(ReadOnlySpan{byte})"/> of the pieces joined, without joining them first.
    /// </summary>
    public void WriteFrame(TunGatherFrame frame)
    {
        if (frame.Length <= VirtioNetHeader.Size || frame.First.Length < VirtioNetHeader.Size)
        {
            Interlocked.Increment(ref _writeErrors);
            return;
        }

        WriteVectors(frame.Pieces, frame.Count, frame.Length);
    }

    /// <summary>Writes an iovec list whose first entry starts with the virtio header and holds the packet headers.</summary>
    internal void WriteVectors(LibC.IoVector* vectors, int count, int length)
    {
        var first = new ReadOnlySpan<byte>(vectors[0].Base, (int)vectors[0].Length);
        WriteReferenced(WriteHandle(first), vectors, count, length);
    }

    private void WriteCore(ReadOnlySpan<byte> packet, bool withHeader)
    {
        if (_disposed || packet.IsEmpty)
        {
            Interlocked.Increment(ref _writeErrors);
            return;
        }

        // A multi-queue device takes each flow's packets on one queue, which the kernel then uses for the flow's replies too.
        var device = _queues.Length == 1 ? _device : _queues[TunQueueSelector.Select(withHeader ? packet[VirtioNetHeader.Size..] : packet, _queues.Length)];
        byte* header = stackalloc byte[VirtioNetHeader.Size];
        new Span<byte>(header, VirtioNetHeader.Size).Clear();
        LibC.IoVector* vectors = stackalloc LibC.IoVector[2];
        fixed (byte* source = packet)
        {
            if (withHeader)
            {
                vectors[0] = new LibC.IoVector { Base = source, Length = (nuint)packet.Length };
                WriteReferenced(device, vectors, 1, packet.Length);
            }
            else
            {
                // A plain packet gets an all-zero header: no GSO, checksums already complete.
                vectors[0] = new LibC.IoVector { Base = header, Length = VirtioNetHeader.Size };
                vectors[1] = new LibC.IoVector { Base = source, Length = (nuint)packet.Length };
                WriteReferenced(device, vectors, 2, packet.Length + VirtioNetHeader.Size);
            }
        }
    }

    // One write(2) or writev(2) on a queue's descriptor, which stays open until it returns; a short or failed write is counted.
    private void WriteReferenced(FileDescriptorHandle device, LibC.IoVector* vectors, int count, int expected)
    {
        if (_disposed)
        {
            Interlocked.Increment(ref _writeErrors);
            return;
        }

        bool referenced = false;
        try
        {
            device.DangerousAddRef(ref referenced);
            nint written;
            int attempts = 0;
            do
            {
                written = count == 1
                    ? LibC.Write(device.Descriptor, vectors[0].Base, vectors[0].Length)
                    : LibC.WriteVector(device.Descriptor, vectors, count);
            }
            while (written < 0 && Marshal.GetLastPInvokeError() == LibC.EINTR && ++attempts < 3);

            if (written != expected)
            {
                Interlocked.Increment(ref _writeErrors);
            }
        }
        catch (ObjectDisposedException)
        {
            Interlocked.Increment(ref _writeErrors);
        }
        finally
        {
            if (referenced)
            {
                device.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Wakes any blocked reader and closes the descriptor, which removes the device. If a reader is inside
    /// read() at that instant, the close happens as soon as it returns.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _wakeUp.Signal();

        foreach (var queue in _queues)
        {
            queue.Dispose();
        }

        _wakeUp.Dispose();
    }
}
