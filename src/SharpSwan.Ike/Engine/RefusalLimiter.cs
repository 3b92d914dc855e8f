namespace SharpSwan.Ike.Engine;

/// <summary>
/// Keeps a flood of refused requests (one per datagram, from any number of spoofed sources) from becoming a flood of log
/// lines and event-log records: per reason, the first <see cref="Burst"/> refusals of each <see cref="Window"/> are
/// logged one by one, the rest only counted, and the count is reported once when its window ends. Keyed by reason
/// rather than by source so that spoofed addresses cannot multiply the budget. Engine thread only.
/// </summary>
internal sealed class RefusalLimiter
{
    public const int Burst = 10;

    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    /// <summary>True when this refusal is to be logged; false when it is only counted.</summary>
    public bool Admit(string reason, DateTimeOffset now)
    {
        if (!_slots.TryGetValue(reason, out var slot) || now - slot.Since >= Window)
        {
            // A window that ended with refusals unreported keeps them until Flush reports them.
            slot = new Slot(now, 0, slot?.Suppressed ?? 0, slot?.SuppressedSince ?? now);
            _slots[reason] = slot;
        }

        if (slot.Logged < Burst)
        {
            slot.Logged++;
            return true;
        }

        if (slot.Suppressed == 0)
        {
            slot.SuppressedSince = now;
        }

        slot.Suppressed++;
        return false;
    }

    /// <summary>The refusals counted but not logged whose window has ended: (reason, how many, since when); each reported once.</summary>
    public IReadOnlyList<(string Reason, long Count, DateTimeOffset Since)> Flush(DateTimeOffset now)
    {
        List<(string, long, DateTimeOffset)>? due = null;
        foreach (var (reason, slot) in _slots)
        {
            if (slot.Suppressed > 0 && now - slot.Since >= Window)
            {
                (due ??= []).Add((reason, slot.Suppressed, slot.SuppressedSince));
                slot.Suppressed = 0;
            }
        }

        // Quiet reasons are forgotten, so the table holds only what is being refused now (removing while enumerating
        // a Dictionary is allowed; nothing is allocated when nothing is refused, as on most engine-loop turns).
        foreach (var (reason, slot) in _slots)
        {
            if (slot.Suppressed == 0 && now - slot.Since >= Window)
            {
                _slots.Remove(reason);
            }
        }

        return due ?? (IReadOnlyList<(string, long, DateTimeOffset)>)[];
    }

    private sealed class Slot(DateTimeOffset since, int logged, long suppressed, DateTimeOffset suppressedSince)
    {
        public DateTimeOffset Since { get; } = since;

        public int Logged { get; set; } = logged;

        public long Suppressed { get; set; } = suppressed;

        public DateTimeOffset SuppressedSince { get; set; } = suppressedSince;
    }
}
