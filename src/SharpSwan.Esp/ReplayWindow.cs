namespace SharpSwan.Esp;

/// <summary>
/// Anti-replay window for inbound sequence numbers (RFC 4303 §3.4.3): accepts each number once, and only within
/// <see cref="Size"/> of the highest number accepted so far.
/// </summary>
/// <remarks>
/// The bitmap is a ring of 64-bit blocks (the RFC 6479 layout): moving the window forward clears whole blocks
/// instead of shifting bits, so a far jump costs at most one pass over the ring. One spare block lets the window
/// hold exactly <see cref="Size"/> numbers whatever the alignment of the highest one. Not thread-safe.
/// </remarks>
public sealed class ReplayWindow
{
    public const int DefaultSize = 1024;

    private const int BitsPerBlock = 64;

    private readonly ulong[] _blocks;
    private ulong _highest;

    public ReplayWindow(int size = DefaultSize)
    {
        if (size <= 0 || size % BitsPerBlock != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The replay window size must be a positive multiple of 64.");
        }

        Size = size;
        _blocks = new ulong[(size / BitsPerBlock) + 1];
    }

    public int Size { get; }

    /// <summary>The highest sequence number accepted so far (0 before the first).</summary>
    public ulong Highest => _highest;

    /// <summary>
    /// True when <paramref name="sequenceNumber"/> is new and not too old. Only checks; call <see cref="Accept"/>
    /// once the packet's ICV has verified. Zero is never acceptable.
    /// </summary>
    public bool IsAcceptable(ulong sequenceNumber)
    {
        if (sequenceNumber == 0)
        {
            return false;
        }

        if (sequenceNumber > _highest)
        {
            return true;
        }

        if (_highest - sequenceNumber >= (ulong)Size)
        {
            return false;
        }

        return (_blocks[BlockIndex(sequenceNumber)] & BitMask(sequenceNumber)) == 0;
    }

    /// <summary>Records an authenticated sequence number, sliding the window forward if it is the new highest.</summary>
    public void Accept(ulong sequenceNumber)
    {
        if (!IsAcceptable(sequenceNumber))
        {
            return;
        }

        if (sequenceNumber > _highest)
        {
            // Clear the blocks the window slides over; they still hold bits from a full ring ago.
            var currentBlock = _highest / BitsPerBlock;
            var steps = Math.Min((sequenceNumber / BitsPerBlock) - currentBlock, (ulong)_blocks.Length);
            for (ulong step = 1; step <= steps; step++)
            {
                _blocks[(int)((currentBlock + step) % (ulong)_blocks.Length)] = 0;
            }

            _highest = sequenceNumber;
        }

        _blocks[BlockIndex(sequenceNumber)] |= BitMask(sequenceNumber);
    }

    private int BlockIndex(ulong sequenceNumber) => (int)((sequenceNumber / BitsPerBlock) % (ulong)_blocks.Length);

    private static ulong BitMask(ulong sequenceNumber) => 1UL << (int)(sequenceNumber % BitsPerBlock);
}
