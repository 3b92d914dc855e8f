using System.Runtime.InteropServices;
using SharpSwan.Platform.Interop;

namespace SharpSwan.Platform;

/// <summary>
/// Writes many packets to TUN devices in one system call: each is copied into a slot (behind its virtio header) and
/// <see cref="Submit"/> hands all of them to the kernel as non-waiting writes on an io_uring with one io_uring_enter,
/// which the kernel runs in order inside the call, so packet order is kept. Measured here (1400-byte UDP packets into a
/// local socket): 1.0 µs of CPU per packet against 2.5 µs for one write(2) each. A coalesced frame can also be queued as
/// a <see cref="TunGatherFrame"/>: its header piece is copied into the slot and its payload pieces are written where they
/// lie (IORING_OP_WRITEV), so super-packets of any size go in the same submission without a copy; the caller keeps that
/// memory unchanged until <see cref="Submit"/> has returned (it waits for every write). A write the kernel refuses is
/// counted in the device's <see cref="TunDevice.WriteErrors"/>, as with <see cref="TunDevice.Write"/>. One per thread;
/// nothing is allocated per packet.
/// </summary>
public sealed unsafe class TunWriteRing : IDisposable
{
    private const int EOPNOTSUPP = 95;

    private readonly TunRingSlots _ring;
    private readonly LibC.IoVector* _vectors;
    // Bytes of each entry's frame, and of it in its slot (the same unless gathered: then the header piece).
    private readonly int[] _lengths;
    private readonly int[] _slotLengths;
    // Pieces of a gathered entry (its iovec list is at _vectors + index * MaxPieces); 0 for a plain slot write.
    private readonly int[] _pieceCounts;
    private readonly TunDevice?[] _devices;
    // The queue descriptor each entry writes to (a multi-queue device: its flow's queue), referenced while submitted.
    private readonly FileDescriptorHandle?[] _handles;
    private int _queued;
    private bool _disposed;

    private TunWriteRing(TunRingSlots ring)
    {
        _ring = ring;
        var capacity = ring.Capacity;
        _vectors = (LibC.IoVector*)NativeMemory.AllocZeroed((nuint)capacity * TunGatherFrame.MaxPieces, (nuint)sizeof(LibC.IoVector));
        _lengths = new int[capacity];
        _slotLengths = new int[capacity];
        _pieceCounts = new int[capacity];
        _devices = new TunDevice?[capacity];
        _handles = new FileDescriptorHandle?[capacity];
    }

    /// <summary>The most packets one <see cref="Submit"/> writes (a full ring submits before taking more).</summary>
    public int Capacity => _ring.Capacity;

    /// <summary>Bytes per slot, virtio header included.</summary>
    public int SlotSize => _ring.SlotSize;

    /// <summary>Packets waiting for <see cref="Submit"/>.</summary>
    public int Queued => _queued;

    /// <summary>False once the kernel refused a non-waiting TUN write: the caller should write directly from then on.</summary>
    public bool Usable { get; private set; } = true;

    /// <summary>A ring, or null with the reason when the kernel has no io_uring for us: the caller writes one packet per call.</summary>
    public static TunWriteRing? TryCreate(int capacity, int slotSize, out string? reason)
    {
        var ring = TunRingSlots.TryCreate(capacity, slotSize, "packets", zeroed: true, out reason);
        return ring is null ? null : new TunWriteRing(ring);
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

        var slot = new Span<byte>(_ring.Slot(_queued), length);
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
        _slotLengths[_queued] = length;
        _pieceCounts[_queued] = 0;
        _devices[_queued] = device;
        _queued++;
        return true;
    }

    /// <summary>
    /// Queues a gathered frame: its first piece (virtio header and packet headers) is copied into a slot, so the caller
    /// may reuse that buffer at once; the other pieces are written from where they lie and must stay unchanged until
    /// <see cref="Submit"/> has returned. A full ring is submitted first. False when the first piece does not fit a slot
    /// or does not hold the whole virtio header, the frame has no packet after its header, or the ring is not
    /// <see cref="Usable"/>: write it directly after a <see cref="Submit"/>.
    /// </summary>
    public bool TryQueue(TunDevice device, TunGatherFrame frame)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var first = frame.First;
        if (!Usable || frame.Length <= VirtioNetHeader.Size || first.Length < VirtioNetHeader.Size || first.Length > SlotSize)
        {
            return false;
        }

        if (_queued == Capacity)
        {
            Submit();
        }

        var slot = _ring.Slot(_queued);
        first.CopyTo(new Span<byte>(slot, first.Length));
        var vectors = _vectors + ((nint)_queued * TunGatherFrame.MaxPieces);
        vectors[0] = new LibC.IoVector { Base = slot, Length = (nuint)first.Length };
        var pieces = frame.Pieces;
        for (var i = 1; i < frame.Count; i++)
        {
            vectors[i] = pieces[i];
        }

        _lengths[_queued] = frame.Length;
        _slotLengths[_queued] = first.Length;
        _pieceCounts[_queued] = frame.Count;
        _devices[_queued] = device;
        _queued++;
        return true;
    }

    /// <summary>Writes everything queued, in order, with one system call, and returns once every write has completed.</summary>
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

            _ring.Queue.Run(count, _ring.Order, _ring.Results);
            for (var i = 0; i < count; i++)
            {
                Complete(_ring.Order[i], _ring.Results[i]);
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
        var handle = device.WriteHandle(new ReadOnlySpan<byte>(_ring.Slot(index), _slotLengths[index]));
        _handles[index] = handle;
        ref var entry = ref _ring.Queue.Prepare(index);
        try
        {
            handle.DangerousAddRef(ref referenced);
        }
        catch (ObjectDisposedException)
        {
            referenced = false;
        }

        entry.Fd = referenced ? handle.Descriptor : -1;
        entry.Offset = ulong.MaxValue;
        entry.ReadWriteFlags = IoUring.ReadWriteNoWait;
        if (_pieceCounts[index] == 0)
        {
            entry.Opcode = IoUring.OpWrite;
            entry.Address = (ulong)_ring.Slot(index);
            entry.Length = (uint)_lengths[index];
        }
        else
        {
            entry.Opcode = IoUring.OpWriteVector;
            entry.Address = (ulong)(_vectors + ((nint)index * TunGatherFrame.MaxPieces));
            entry.Length = (uint)_pieceCounts[index];
        }
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
            if (_pieceCounts[index] == 0)
            {
                device.WriteFrame(new ReadOnlySpan<byte>(_ring.Slot(index), _lengths[index]));
            }
            else
            {
                device.WriteVectors(_vectors + ((nint)index * TunGatherFrame.MaxPieces), _pieceCounts[index], _lengths[index]);
            }

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
        _ring.Dispose();
        NativeMemory.Free(_vectors);
    }
}
