namespace SharpSwan.Esp;

/// <summary>
/// Packet, byte and last-activity counters kept per lane (a data-plane worker), summed on read: each lane's counters
/// sit on their own 128-byte stretch, so workers that send on one SA at once never write to a shared cache line. A
/// lane is written by its own worker only; the interlocked updates keep a mistake harmless, and cost little uncontended.
/// </summary>
internal sealed class LaneCounters
{
    // 16 longs = 128 bytes: a cache line and its prefetch pair. Lane 0 starts one stride in, clear of the array header.
    private const int Stride = 16;
    private const int PacketsSlot = 0;
    private const int BytesSlot = 1;
    private const int ActivitySlot = 2;

    private readonly long[] _slots;

    public LaneCounters(int lanes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lanes, 1);
        Lanes = lanes;
        _slots = new long[(lanes + 1) * Stride];
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

    private static int Index(int lane, int slot) => ((lane + 1) * Stride) + slot;
}
