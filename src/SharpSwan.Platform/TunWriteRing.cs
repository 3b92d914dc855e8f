using System.Runtime.InteropServices;
using SharpSwan.Platform.Interop;

namespace SharpSwan.Platform;

/// <summary>
/// Writes many packets to TUN devices in one system call: each is copied into a slot (behind its virtio header) and
/// <see cref="Submit"/> hands all of them to the kernel as non-waiting writes on an io_uring with one io_uring_enter,
/// which the kernel runs in order inside the call, so packet order is kept. Measured here (1400-byte UDP packets into a
/// local socket): 1.0 µs of CPU per packet against 2.5 µs for one write(2) each. For packets up to
/// <see cref="SlotSize"/>; larger frames (coalesced super-packets) are better written directly after a
/// <see cref="Submit"/>. A write the kernel refuses is counted in the device's <see cref="TunDevice.WriteErrors"/>, as
/// with <see cref="TunDevice.Write"/>. One per thread; nothing is allocated per packet.
/// </summary>
public sealed unsafe class TunWriteRing : IDisposable
{
    private const int EOPNOTSUPP = 95;

    private readonly IoUringQueue _queue;
    private readonly byte* _buffers;
    private readonly int[] _lengths;
    private readonly TunDevice?[] _devices;
    // The queue descriptor each entry writes to (a multi-queue device: its flow's queue), referenced while submitted.
    private readonly FileDescriptorHandle?[] _handles;
    private readonly int[] _order;
    private readonly int[] _results;
    private int _queued;
    private bool _disposed;

    private TunWriteRing(IoUringQueue queue, int capacity, int slotSize)
    {
        _queue = queue;
        Capacity = capacity;
        SlotSize = slotSize;
        _buffers = (byte*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)slotSize);
        _lengths = new int[capacity];
        _devices = new TunDevice?[capacity];
        _handles = new FileDescriptorHandle?[capacity];
        _order = new int[capacity];
        _results = new int[capacity];
    }

    /// <summary>The most packets one <see cref="Submit"/> writes (a full ring submits before taking more).</summary>
    public int Capacity { get; }

    /// <summary>Bytes per slot, virtio header included.</summary>
    public int SlotSize { get; }

    /// <summary>Packets waiting for <see cref="Submit"/>.</summary>
    public int Queued => _queued;

    /// <summary>False once the kernel refused a non-waiting TUN write: the caller should write directly from then on.</summary>
    public bool Usable { get; private set; } = true;

    /// <summary>A ring, or null with the reason when the kernel has no io_uring for us: the caller writes one packet per call.</summary>
    public static TunWriteRing? TryCreate(int capacity, int slotSize, out string? reason)
    {
        if (capacity is < 1 or > 256 || slotSize <= VirtioNetHeader.Size)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), "The ring takes 1 to 256 packets of more than a virtio header each.");
        }

        var queue = IoUringQueue.TryCreate(capacity, out reason);
        return queue is null ? null : new TunWriteRing(queue, Math.Min(capacity, queue.Entries), slotSize);
    }

    /// <summary>
    /// Queues a write to <paramref name="device"/>: a plain IP packet (it gets an empty virtio header, as with
    /// <see cref="TunDevice.Write"/>) or, with <paramref name="hasHeader"/>, a frame that starts with its own. A full ring
    /// is submitted first. False when it does not fit a slot or the ring is not <see cref="Usable"/>: write it directly
    /// after a <see cref="Submit"/>.
    /// </summary>
    public bool TryQueue(TunDevice device, ReadOnlySpan<byte> data, bool hasHeader)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var length = hasHeader ? data.Length : VirtioNetHeader.Size + data.Length;
        if (!Usable || length > SlotSize || data.Length == 0)
        {
            return false;
        }

        if (_queued == Capacity)
        {
            Submit();
        }

        var slot = new Span<byte>(_buffers + ((nint)_queued * SlotSize), length);
        if (hasHeader)
        {
            data.CopyTo(slot);
        }
        else
        {
            slot[..VirtioNetHeader.Size].Clear();
            data.CopyTo(slot[VirtioNetHeader.Size..]);
        }

        _lengths[_queued] = length;
        _devices[_queued] = device;
        _queued++;
        return true;
    }

    /// <summary>Writes everything queued, in order, with one system call.</summary>
    public void Submit()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_queued == 0)
        {
            return;
        }

        var count = _queued;
        _queued = 0;
        var references = count;
        Span<bool> referenced = stackalloc bool[count];
        try
        {
            for (var i = 0; i < count; i++)
            {
                Prepare(i, ref referenced[i]);
            }

            _queue.Run(count, _order, _results);
            for (var i = 0; i < count; i++)
            {
                Complete(_order[i], _results[i]);
            }
        }
        finally
        {
            for (var i = 0; i < references; i++)
            {
                if (referenced[i])
                {
                    _handles[i]!.DangerousRelease();
                }

                _devices[i] = null;
                _handles[i] = null;
            }
        }
    }

    // A disposed device gets a no-op entry (a zero-length write to descriptor -1 fails alone) and an error count.
    private void Prepare(int index, ref bool referenced)
    {
        var device = _devices[index]!;
        var handle = device.WriteHandle(new ReadOnlySpan<byte>(_buffers + ((nint)index * SlotSize), _lengths[index]));
        _handles[index] = handle;
        ref var entry = ref _queue.Prepare(index);
        try
        {
            handle.DangerousAddRef(ref referenced);
        }
        catch (ObjectDisposedException)
        {
            referenced = false;
        }

        entry.Opcode = IoUring.OpWrite;
        entry.Fd = referenced ? handle.Descriptor : -1;
        entry.Offset = ulong.MaxValue;
        entry.Address = (ulong)(_buffers + ((nint)index * SlotSize));
        entry.Length = (uint)_lengths[index];
        entry.ReadWriteFlags = IoUring.ReadWriteNoWait;
    }

    private void Complete(int index, int result)
    {
        if (result == _lengths[index])
        {
            return;
        }

        var device = _devices[index]!;
        if (result == -EOPNOTSUPP)
        {
            // This kernel's TUN driver takes no non-waiting writes: this one and all later ones go the plain way.
            Usable = false;
            device.WriteFrame(new ReadOnlySpan<byte>(_buffers + ((nint)index * SlotSize), _lengths[index]));
            return;
        }

        device.CountWriteError();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _queue.Dispose();
        NativeMemory.Free(_buffers);
    }
}
