using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using SharpSwan.Platform.Interop;

namespace SharpSwan.Platform;

/// <summary>
/// A fixed set of datagram slots in native memory for sendmmsg/recvmmsg, so a whole burst costs one system call instead
/// of one per datagram. Each slot has its own buffer and socket address. Owned by one thread; nothing is allocated after
/// construction. Works with any datagram socket (UDP, raw IP). On a UDP socket it can also use the kernel's segmentation
/// offload (one message carries a run of equal-size datagrams, see <see cref="Send(Socket, bool)"/>) and hands back the
/// segment size of a received GRO train (<see cref="SegmentSize"/>).
/// </summary>
public sealed unsafe class DatagramBatch : IDisposable
{
    // Room for a sockaddr_in6; sockaddr_in needs 16.
    private const int AddressSlotSize = 32;
    private const int SendPollMilliseconds = 100;

    // Room for two control messages: UDP_GRO's int and IP_TOS's byte, each CMSG_SPACE = 24 on 64-bit.
    private const int ControlSlotSize = 64;
    private const int ControlHeaderSize = 16;
    private const int SolIp = 0;
    private const int IpTos = 1;
    private const int SolUdp = 17;
    private const int UdpSegment = 103;
    private const int UdpGro = 104;
    private const int EIO = 5;
    private const int EINVAL = 22;

    private readonly byte* _buffers;
    private readonly byte* _addresses;
    private readonly LibC.IoVector* _vectors;
    private readonly LibC.MultiMessageHeader* _messages;
    private readonly LibC.MultiMessageHeader* _runs;
    private readonly byte* _control;
    private readonly int[] _lengths;
    private readonly int[] _segmentSizes;
    private readonly int[] _tos;
    private readonly int[] _runCounts;
    private bool _disposed;

    /// <param name="capacity">Number of datagram slots.</param>
    /// <param name="slotSize">Bytes per slot: the largest datagram sent or received.</param>
    public DatagramBatch(int capacity, int slotSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotSize, 1);
        Capacity = capacity;
        SlotSize = slotSize;
        _buffers = (byte*)NativeMemory.AlignedAlloc((nuint)capacity * (nuint)slotSize, 64);
        _addresses = (byte*)NativeMemory.AllocZeroed((nuint)capacity * AddressSlotSize);
        _vectors = (LibC.IoVector*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(LibC.IoVector));
        _messages = (LibC.MultiMessageHeader*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(LibC.MultiMessageHeader));
        _runs = (LibC.MultiMessageHeader*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)sizeof(LibC.MultiMessageHeader));
        _control = (byte*)NativeMemory.AllocZeroed((nuint)capacity * ControlSlotSize);
        _lengths = new int[capacity];
        _segmentSizes = new int[capacity];
        _tos = new int[capacity];
        _runCounts = new int[capacity];
    }

    public int Capacity { get; }

    public int SlotSize { get; }

    /// <summary>Datagrams queued for sending, or received by the last <see cref="Receive"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Datagrams the kernel refused or that were dropped because the socket stayed full.</summary>
    public long SendErrors { get; private set; }

    /// <summary>Messages handed to sendmmsg by the last send: one per datagram, or one per run with segmentation.</summary>
    public int LastSendMessages { get; private set; }

    /// <summary>
    /// The errno with which the kernel refused a segmented message in the last send (EIO: the route's device cannot
    /// checksum for it; EINVAL: a segment does not fit the path), or 0. The refused datagrams went out one by one.
    /// </summary>
    public int SegmentationRefusal { get; private set; }

    /// <summary>The most datagrams one segmented send carries (the kernel's UDP_MAX_SEGMENTS is 64 or more).</summary>
    public const int MaxSegmentsPerSend = 64;

    /// <summary>The most bytes one segmented send carries: a UDP payload must fit an IP packet of 64 KB.</summary>
    public const int MaxBytesPerSend = 65535 - 20 - 8;

    /// <summary>The whole buffer of slot <paramref name="index"/>, to fill before <see cref="Commit"/>.</summary>
    public Span<byte> Slot(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Capacity, nameof(index));
        return new Span<byte>(_buffers + (nint)index * SlotSize, SlotSize);
    }

    /// <summary>The buffer of the next free slot; empty when the batch is full.</summary>
    public Span<byte> NextSlot => Count < Capacity ? Slot(Count) : Span<byte>.Empty;

    public bool IsFull => Count == Capacity;

    /// <summary>The datagram received into slot <paramref name="index"/> (mutable, so it can be decrypted in place).</summary>
    public Span<byte> Received(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return Slot(index)[.._lengths[index]];
    }

    /// <summary>
    /// The segment size of received datagram <paramref name="index"/> when the kernel joined several equal datagrams of
    /// one sender into it (UDP GRO: every segment has this size, the last may be shorter); 0 for a single datagram.
    /// </summary>
    public int SegmentSize(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return _segmentSizes[index];
    }

    /// <summary>
    /// The IP TOS byte datagram <paramref name="index"/> arrived with (0-255) when the socket asked for it
    /// (<see cref="UdpEndpoint.EnableReceiveTos"/>), else -1.
    /// </summary>
    public int Tos(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return _tos[index];
    }

    /// <summary>Copies the sender of received datagram <paramref name="index"/> into <paramref name="address"/>.</summary>
    public void CopySource(int index, SocketAddress address)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        var length = (int)Math.Min(_messages[index].Header.NameLength, AddressSlotSize);
        var source = new ReadOnlySpan<byte>(_addresses + (nint)index * AddressSlotSize, length);
        var destination = address.Buffer.Span;
        var copied = Math.Min(length, destination.Length);
        source[..copied].CopyTo(destination);
        address.Size = copied;
    }

    /// <summary>Queues the first <paramref name="length"/> bytes of <see cref="NextSlot"/> for <paramref name="destination"/>.</summary>
    public void Commit(int length, SocketAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (Count == Capacity)
        {
            throw new InvalidOperationException("The batch is full; send it first.");
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)length, (uint)SlotSize, nameof(length));
        var address = destination.Buffer.Span[..Math.Min(destination.Size, AddressSlotSize)];
        address.CopyTo(new Span<byte>(_addresses + (nint)Count * AddressSlotSize, AddressSlotSize));
        Prepare(Count, length, (uint)address.Length, withControl: false);
        _lengths[Count] = length;
        Count++;
    }

    /// <summary>Forgets the queued or received datagrams.</summary>
    public void Clear() => Count = 0;

    /// <summary>
    /// Sends every queued datagram with as few sendmmsg calls as possible, then clears the batch. A full non-blocking
    /// socket is waited on briefly (dropping hurts a TCP stream inside the tunnel more than a short wait does).
    /// </summary>
    /// <returns>The number sent; the rest are counted in <see cref="SendErrors"/>.</returns>
    public int Send(Socket socket) => Send(socket, segmentation: false);

    /// <summary>
    /// Like <see cref="Send(Socket)"/>; with <paramref name="segmentation"/>, each run of consecutive datagrams to one
    /// destination whose sizes are equal (the last of a run may be shorter) leaves as one message with a UDP_SEGMENT
    /// control message, which the kernel (or the device) cuts back into those datagrams. If the kernel refuses that
    /// (<see cref="SegmentationRefusal"/>), the rest goes out one datagram per message.
    /// </summary>
    public int Send(Socket socket, bool segmentation)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var total = Count;
        LastSendMessages = 0;
        SegmentationRefusal = 0;
        var done = 0;
        var failed = 0;
        var added = false;
        var handle = socket.SafeHandle;
        try
        {
            handle.DangerousAddRef(ref added);
            var fd = (int)handle.DangerousGetHandle();
            if (segmentation && total > 1)
            {
                done = SendRuns(fd, ref failed);
            }

            LastSendMessages += total - done;
            while (done < total)
            {
                var result = LibC.SendMultipleMessages(fd, _messages + done, (uint)(total - done), 0);
                if (result > 0)
                {
                    done += result;
                    continue;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno == LibC.EINTR || (errno == LibC.EAGAIN && WaitWritable(fd)))
                {
                    continue;
                }

                if (errno == LibC.EAGAIN)
                {
                    break;
                }

                // sendmmsg fails only when its first datagram fails (e.g. unreachable): skip that one, keep the others.
                failed++;
                done++;
            }
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        var sent = done - failed;
        SendErrors += total - sent;
        Count = 0;
        return sent;
    }

    /// <summary>
    /// Receives as many datagrams as are queued (up to <see cref="Capacity"/>), waiting up to
    /// <paramref name="timeoutMilliseconds"/> for the first.
    /// </summary>
    /// <returns>The number received (also <see cref="Count"/>); 0 on timeout or a transient error; -1 once the socket is closed.</returns>
    public int Receive(Socket socket, int timeoutMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(socket);
        Count = 0;
        var added = false;
        var handle = socket.SafeHandle;
        try
        {
            handle.DangerousAddRef(ref added);
            var fd = (int)handle.DangerousGetHandle();
            var received = TryReceive(fd);
            if (received == -2)
            {
                LibC.PollDescriptor descriptor = new() { FileDescriptor = fd, Events = LibC.PollIn };
                if (LibC.Poll(&descriptor, 1, timeoutMilliseconds) <= 0)
                {
                    return 0;
                }

                received = TryReceive(fd);
            }

            Count = Math.Max(0, received);
            return Count;
        }
        catch (ObjectDisposedException)
        {
            return -1;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        NativeMemory.AlignedFree(_buffers);
        NativeMemory.Free(_addresses);
        NativeMemory.Free(_vectors);
        NativeMemory.Free(_messages);
        NativeMemory.Free(_runs);
        NativeMemory.Free(_control);
    }

    /// <returns>Datagrams received, -2 when nothing is queued, 0 on another error.</returns>
    private int TryReceive(int fd)
    {
        for (var i = 0; i < Capacity; i++)
        {
            Prepare(i, SlotSize, AddressSlotSize, withControl: true);
        }

        var received = LibC.ReceiveMultipleMessages(fd, _messages, (uint)Capacity, LibC.MessageDontWait, null);
        if (received < 0)
        {
            return Marshal.GetLastPInvokeError() == LibC.EAGAIN ? -2 : 0;
        }

        for (var i = 0; i < received; i++)
        {
            // A datagram larger than the slot is truncated by the kernel (MSG_TRUNC): treat it as empty so it is dropped.
            var truncated = (_messages[i].Header.Flags & MessageTruncated) != 0;
            _lengths[i] = truncated ? 0 : (int)_messages[i].Length;
            (_segmentSizes[i], _tos[i]) = ReadControl(in _messages[i].Header);
        }

        return received;
    }

    private const int MessageTruncated = 0x20;

    private void Prepare(int index, int length, uint addressLength, bool withControl)
    {
        _vectors[index] = new LibC.IoVector { Base = _buffers + (nint)index * SlotSize, Length = (nuint)length };
        _messages[index] = new LibC.MultiMessageHeader
        {
            Header = new LibC.MessageHeader
            {
                Name = _addresses + (nint)index * AddressSlotSize,
                NameLength = addressLength,
                Vectors = _vectors + index,
                VectorCount = 1,
                Control = withControl ? _control + (nint)index * ControlSlotSize : null,
                ControlLength = withControl ? (nuint)ControlSlotSize : 0,
            },
        };
    }

    /// <summary>The UDP_GRO segment size (else 0) and the IP_TOS byte (else -1) among the control messages the kernel returned.</summary>
    private static (int SegmentSize, int Tos) ReadControl(in LibC.MessageHeader header)
    {
        var segmentSize = 0;
        var tos = -1;
        var control = header.Control;
        var remaining = (long)header.ControlLength;
        while (control is not null && remaining >= ControlHeaderSize)
        {
            var length = (long)*(nuint*)control;
            if (length < ControlHeaderSize || length > remaining)
            {
                break;
            }

            var level = *(int*)(control + 8);
            var type = *(int*)(control + 12);
            if (level == SolUdp && type == UdpGro && length >= ControlHeaderSize + sizeof(int))
            {
                segmentSize = *(int*)(control + ControlHeaderSize);
            }
            else if (level == SolIp && type == IpTos && length >= ControlHeaderSize + 1)
            {
                tos = control[ControlHeaderSize];
            }

            var aligned = (length + 7) & ~7L;
            control += aligned;
            remaining -= aligned;
        }

        return (segmentSize, tos);
    }

    /// <summary>
    /// Groups the queued datagrams into runs (see <see cref="Send(Socket, bool)"/>) and sends them. Returns how many
    /// datagrams are done (sent, dropped or counted in <paramref name="failed"/>); the caller sends the rest one by one.
    /// </summary>
    private int SendRuns(int fd, ref int failed)
    {
        var runs = BuildRuns();
        var run = 0;
        var done = 0;
        LastSendMessages = runs;
        while (run < runs)
        {
            var result = LibC.SendMultipleMessages(fd, _runs + run, (uint)(runs - run), 0);
            if (result > 0)
            {
                for (var i = 0; i < result; i++)
                {
                    done += _runCounts[run + i];
                }

                run += result;
                continue;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno == LibC.EINTR || (errno == LibC.EAGAIN && WaitWritable(fd)))
            {
                continue;
            }

            if (errno == LibC.EAGAIN)
            {
                // Dropped: the caller's loop must not try them again.
                for (; run < runs; run++)
                {
                    failed += _runCounts[run];
                    done += _runCounts[run];
                }

                break;
            }

            if ((errno == EIO || errno == EINVAL) && _runCounts[run] > 1)
            {
                // The kernel will not segment on this path: the rest goes out plain, and the caller stops asking.
                SegmentationRefusal = errno;
                LastSendMessages = run;
                break;
            }

            failed += _runCounts[run];
            done += _runCounts[run];
            run++;
        }

        return done;
    }

    /// <returns>The number of runs written to <see cref="_runs"/>.</returns>
    private int BuildRuns()
    {
        var runs = 0;
        var first = 0;
        while (first < Count)
        {
            var size = _lengths[first];
            var end = first + 1;
            var bytes = size;
            while (end < Count && end - first < MaxSegmentsPerSend && bytes + _lengths[end] <= MaxBytesPerSend &&
                   _lengths[end - 1] == size && _lengths[end] <= size && _lengths[end] > 0 && SameDestination(first, end))
            {
                bytes += _lengths[end];
                end++;
            }

            var count = end - first;
            var control = _control + (nint)runs * ControlSlotSize;
            if (count > 1)
            {
                *(nuint*)control = ControlHeaderSize + sizeof(ushort);
                *(int*)(control + 8) = SolUdp;
                *(int*)(control + 12) = UdpSegment;
                *(ushort*)(control + ControlHeaderSize) = (ushort)size;
            }

            _runs[runs] = new LibC.MultiMessageHeader
            {
                Header = new LibC.MessageHeader
                {
                    Name = _messages[first].Header.Name,
                    NameLength = _messages[first].Header.NameLength,
                    Vectors = _vectors + first,
                    VectorCount = (nuint)count,
                    Control = count > 1 ? control : null,
                    ControlLength = count > 1 ? (nuint)(ControlHeaderSize + 8) : 0,
                },
            };
            _runCounts[runs] = count;
            runs++;
            first = end;
        }

        return runs;
    }

    private bool SameDestination(int a, int b)
    {
        var length = _messages[a].Header.NameLength;
        return length == _messages[b].Header.NameLength &&
            new ReadOnlySpan<byte>(_messages[a].Header.Name, (int)length).SequenceEqual(new ReadOnlySpan<byte>(_messages[b].Header.Name, (int)length));
    }

    private static bool WaitWritable(int fd)
    {
        LibC.PollDescriptor descriptor = new() { FileDescriptor = fd, Events = LibC.PollOut };
        return LibC.Poll(&descriptor, 1, SendPollMilliseconds) > 0;
    }
}
