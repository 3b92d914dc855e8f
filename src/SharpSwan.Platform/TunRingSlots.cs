using System.Runtime.InteropServices;
using SharpSwan.Platform.Interop;

namespace SharpSwan.Platform;

/// <summary>
/// What <see cref="TunReadRing"/> and <see cref="TunWriteRing"/> share: an <see cref="IoUringQueue"/>, one native buffer
/// slot per entry (native, so the kernel can use it while the call runs without any pinning) and the arrays its
/// completions are collected into. Owned by the ring that made it, on one thread.
/// </summary>
internal sealed unsafe class TunRingSlots : IDisposable
{
    private readonly byte* _buffers;
    private bool _disposed;

    private TunRingSlots(IoUringQueue queue, int capacity, int slotSize, bool zeroed)
    {
        Queue = queue;
        Capacity = capacity;
        SlotSize = slotSize;
        _buffers = zeroed
            ? (byte*)NativeMemory.AllocZeroed((nuint)capacity, (nuint)slotSize)
            : (byte*)NativeMemory.Alloc((nuint)capacity, (nuint)slotSize);
        Order = new int[capacity];
        Results = new int[capacity];
    }

    public IoUringQueue Queue { get; }

    /// <summary>Entries (and slots): what was asked for, or fewer if the kernel's ring is smaller.</summary>
    public int Capacity { get; }

    public int SlotSize { get; }

    /// <summary>The user data (entry index) of each completion of the last run, in completion order.</summary>
    public int[] Order { get; }

    /// <summary>The result of each completion of the last run, matching <see cref="Order"/>.</summary>
    public int[] Results { get; }

    /// <summary>
    /// The slots and their ring, or null with the reason when the kernel has no io_uring for us. <paramref name="unit"/>
    /// names what a slot holds, for the message when the sizes are out of range.
    /// </summary>
    public static TunRingSlots? TryCreate(int capacity, int slotSize, string unit, bool zeroed, out string? reason)
    {
        if (capacity is < 1 or > 256 || slotSize <= VirtioNetHeader.Size)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), $"The ring takes 1 to 256 {unit} of more than a virtio header each.");
        }

        var queue = IoUringQueue.TryCreate(capacity, out reason);
        return queue is null ? null : new TunRingSlots(queue, Math.Min(capacity, queue.Entries), slotSize, zeroed);
    }

    /// <summary>The start of slot <paramref name="index"/>.</summary>
    public byte* Slot(int index) => _buffers + ((nint)index * SlotSize);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Queue.Dispose();
        NativeMemory.Free(_buffers);
    }
}
