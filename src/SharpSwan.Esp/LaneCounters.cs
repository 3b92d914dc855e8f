namespace SharpSwan.Esp;

/// <summary>
/// Packet, byte and last-activity counters kept per lane (a data-plane worker), summed on read: each lane's counters
/// sit on their own 128-byte stretch, so workers that send on one SA at once never write to a shared cache line. A
/// lane is written by its own worker only; the interlocked updates keep a mistake harmless, and cost little uncontended.
/// A single lane (every inbound SA) has no neighbour to keep apart from, so it takes just its three slots.
/// </summary>
internal sealed class LaneCounters
{
    // 16 longs = 128 bytes: a cache line and its prefetch pair. Lane 0 starts one stride in, clear of the array header.
    private const int Stride = 16;
    private const int PacketsSlot = 0;
    private const int BytesSlot = 1;
    private const int ActivitySlot = 2;

    private readonly long[] _slots;

    // Where lane 0 starts and how far apart lanes are: a stride in and a stride apart, or 0 and 0 for a single lane.
    private readonly int _first;
    private readonly int _stride;

    public LaneCounters(int lanes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lanes, 1);
        Lanes = lanes;
        (_first, _stride) = lanes == 1 ? (0, 0) : (Stride, Stride);
        _slots = new long[lanes == 1 ? ActivitySlot + 1 : (lanes + 1) * Stride];
    }

    public int Lanes { get; }

    public long Packets => Sum(PacketsSlot);

    public long Bytes => Sum(BytesSlot);

    /// <summary>The latest activity timestamp any lane recorded (0 if none).</summary>
    public long LastActivity
    {
        get
        {
            long latest = 0;
            for (var lane = 0; lane < Lanes; lane++)
            {
                latest = Math.Max(latest, Interlocked.Read(ref _slots[Index(lane, ActivitySlot)]));
            }

            return latest;
        }
    }

    /// <summary>One packet of <paramref name="bytes"/> inner bytes on <paramref name="lane"/>, at <paramref name="timestamp"/>.</summary>
    public void Count(int lane, long bytes, long timestamp)
    {
        Interlocked.Increment(ref _slots[Index(lane, PacketsSlot)]);
        Interlocked.Add(ref _slots[Index(lane, BytesSlot)], bytes);
        Interlocked.Exchange(ref _slots[Index(lane, ActivitySlot)], timestamp);
    }

    private long Sum(int slot)
    {
        long total = 0;
        for (var lane = 0; lane < Lanes; lane++)
        {
            total += Interlocked.Read(ref _slots[Index(lane, slot)]);
        }

        return total;
    }

    private int Index(int lane, int slot) => _first + (lane * _stride) + slot;
}
