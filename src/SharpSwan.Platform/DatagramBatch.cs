using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using SharpSwan.Platform.Interop;

namespace SharpSwan.Platform;

/// <summary>
/// A fixed set of datagram slots in native memory for sendmmsg/recvmmsg, so a whole burst costs one system call instead
/// of one per datagram. Each slot has its own buffer and socket address. Owned by one thread; nothing is allocated after
/// construction. Works with any datagram socket (UDP, raw IP).
/// </summary>
public sealed unsafe class DatagramBatch : IDisposable
{
    // Room for a sockaddr_in6; sockaddr_in needs 16.
    private const int AddressSlotSize = 32;
    private const int SendPollMilliseconds = 100;

    private readonly byte* _buffers;
    private readonly byte* _addresses;
    private readonly LibC.IoVector* _vectors;
    private readonly LibC.MultiMessageHeader* _messages;
    private readonly int[] _lengths;
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
        _lengths = new int[capacity];
    }

    public int Capacity { get; }

    public int SlotSize { get; }

    /// <summary>Datagrams queued for sending, or received by the last <see cref="Receive"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Datagrams the kernel refused or that were dropped because the socket stayed full.</summary>
    public long SendErrors { get; private set; }

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
        Prepare(Count, length, (uint)address.Length);
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
    public int Send(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var total = Count;
        var done = 0;
        var failed = 0;
        var added = false;
        var handle = socket.SafeHandle;
        try
        {
            handle.DangerousAddRef(ref added);
            var fd = (int)handle.DangerousGetHandle();
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
    }

    /// <returns>Datagrams received, -2 when nothing is queued, 0 on another error.</returns>
    private int TryReceive(int fd)
    {
        for (var i = 0; i < Capacity; i++)
        {
            Prepare(i, SlotSize, AddressSlotSize);
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
        }

        return received;
    }

    private const int MessageTruncated = 0x20;

    private void Prepare(int index, int length, uint addressLength)
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
            },
        };
    }

    private static bool WaitWritable(int fd)
    {
        LibC.PollDescriptor descriptor = new() { FileDescriptor = fd, Events = LibC.PollOut };
        return LibC.Poll(&descriptor, 1, SendPollMilliseconds) > 0;
    }
}
