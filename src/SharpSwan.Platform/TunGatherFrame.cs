using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SharpSwan.Platform.Interop;

namespace SharpSwan.Platform;

/// <summary>
/// A frame for a TUN write described as pieces where they already lie (an iovec list), so a coalesced super-packet is
/// written with writev from the decrypted segments instead of being copied into one buffer first. The first piece starts
/// with the <see cref="VirtioNetHeader"/> and holds the packet's IP and transport headers (the multi-queue queue choice
/// reads them); the others are payload. The pieces are referenced, not copied: each must lie in native or pinned memory
/// that stays unchanged until the frame has been written (<see cref="TunDevice.WriteFrame(TunGatherFrame)"/>, or the
/// <see cref="TunWriteRing.Submit"/> after <see cref="TunWriteRing.TryQueue(TunDevice, TunGatherFrame)"/>). Pre-sized; nothing
/// is allocated per frame. One per owner, on one thread.
/// </summary>
public sealed unsafe class TunGatherFrame
{
    /// <summary>The most pieces one frame has: the headers and up to 64 payloads, with one to spare.</summary>
    public const int MaxPieces = 66;

    // Pinned, so the kernel can read the list through its address (the array never moves).
    private readonly LibC.IoVector[] _pieces = GC.AllocateArray<LibC.IoVector>(MaxPieces, pinned: true);

    /// <summary>Pieces in the frame.</summary>
    public int Count { get; private set; }

    /// <summary>Bytes in the frame, virtio header included.</summary>
    public int Length { get; private set; }

    /// <summary>The iovec list (<see cref="Count"/> entries).</summary>
    internal LibC.IoVector* Pieces => (LibC.IoVector*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_pieces));

    /// <summary>The first piece: virtio header and packet headers.</summary>
    internal ReadOnlySpan<byte> First => Count == 0 ? default : new ReadOnlySpan<byte>(_pieces[0].Base, (int)_pieces[0].Length);

    /// <summary>Empties the frame (the memory it referenced is no longer needed by it).</summary>
    public void Clear()
    {
        Count = 0;
        Length = 0;
    }

    /// <summary>
    /// Appends <paramref name="memory"/> as the next piece, by reference: it must be native or pinned memory that stays
    /// as it is until the frame is written. An empty span adds nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">The frame already has <see cref="MaxPieces"/> pieces.</exception>
    public void Add(ReadOnlySpan<byte> memory)
    {
        if (memory.IsEmpty)
        {
            return;
        }

        if (Count == MaxPieces)
        {
            throw new InvalidOperationException($"A gather frame holds at most {MaxPieces} pieces.");
        }

        _pieces[Count] = new LibC.IoVector
        {
            Base = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(memory)),
            Length = (nuint)memory.Length,
        };
        Count++;
        Length += memory.Length;
    }

    /// <summary>The frame's bytes in one array (tests and diagnostics only: it allocates).</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        var at = 0;
        for (var i = 0; i < Count; i++)
        {
            new ReadOnlySpan<byte>(_pieces[i].Base, (int)_pieces[i].Length).CopyTo(bytes.AsSpan(at));
            at += (int)_pieces[i].Length;
        }

        return bytes;
    }
}
