namespace SharpSwan.Esp;

/// <summary>
/// SharpSwan's <c>set trigger-queue &lt;packets&gt;</c> (phase 2): outbound packets that arrive while the phase 2 has no SA
/// are held here instead of being dropped, then sent in arrival order through the SA once it is installed. FortiOS drops
/// them (capacity 0 keeps that behaviour). Memory is bounded by <see cref="Capacity"/> packets of at most
/// <see cref="MaxPacketLength"/> bytes each. Not thread-safe: the data plane path that owns the phase 2 uses it.
/// </summary>
public sealed class TriggerQueue
{
    /// <summary>The largest IPv4 packet; anything longer is not a packet and is refused.</summary>
    public const int MaxPacketLength = 65535;

    private readonly Queue<HeldPacket> _packets = new();

    public TriggerQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
    }

    /// <summary>Packets held at most; 0 means every packet without an SA is dropped (FortiOS).</summary>
    public int Capacity { get; private set; }

    public int Count => _packets.Count;

    /// <summary>Bytes currently held.</summary>
    public long HeldBytes { get; private set; }

    /// <summary>Packets accepted into the queue since it was created.</summary>
    public long Queued { get; private set; }

    /// <summary>Packets handed back by <see cref="Release"/> to be sent through the new SA.</summary>
    public long Released { get; private set; }

    /// <summary>Packets refused because the queue was full (or capacity is 0).</summary>
    public long Overflowed { get; private set; }

    /// <summary>
    /// Of <see cref="Overflowed"/>, the packets refused because the queue already held <see cref="Capacity"/> packets, not
    /// because queueing is off (capacity 0): the drops of the bound itself.
    /// </summary>
    public long Full { get; private set; }

    /// <summary>Packets thrown away because negotiation failed or took too long.</summary>
    public long Discarded { get; private set; }

    /// <summary>Timestamp (caller's clock) of the oldest held packet; null when empty.</summary>
    public long? OldestTimestamp => _packets.Count == 0 ? null : _packets.Peek().Timestamp;

    /// <summary>Holds a copy of the packet; false (and counted as overflow) when there is no room.</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> packet, long timestamp)
    {
        if (_packets.Count >= Capacity || packet.Length is 0 or > MaxPacketLength)
        {
            Overflowed++;
            if (Capacity > 0 && _packets.Count >= Capacity)
            {
                Full++;
            }

            return false;
        }

        _packets.Enqueue(new HeldPacket(packet.ToArray(), timestamp));
        HeldBytes += packet.Length;
        Queued++;
        return true;
    }

    /// <summary>Empties the queue into <paramref name="send"/>, oldest first. Returns how many packets were released.</summary>
    public int Release(Action<byte[]> send)
    {
        ArgumentNullException.ThrowIfNull(send);
        var count = 0;

        // Dequeue before sending, so a send that re-enters (e.g. finds the SA gone and queues again) sees a consistent queue.
        while (TryRelease(out var packet))
        {
            count++;
            send(packet);
        }

        return count;
    }

    /// <summary>Takes the oldest held packet out to be sent through the new SA; false when empty.</summary>
    public bool TryRelease(out byte[] packet)
    {
        if (!_packets.TryDequeue(out var held))
        {
            packet = [];
            return false;
        }

        HeldBytes -= held.Packet.Length;
        Released++;
        packet = held.Packet;
        return true;
    }

    /// <summary>Drops every held packet (negotiation failed). Returns how many were dropped.</summary>
    public int DiscardAll()
    {
        var count = _packets.Count;
        _packets.Clear();
        HeldBytes = 0;
        Discarded += count;
        return count;
    }

    /// <summary>Drops the packets queued before <paramref name="timestamp"/> (negotiation takes too long). Returns how many.</summary>
    public int DiscardOlderThan(long timestamp)
    {
        var count = 0;
        while (_packets.TryPeek(out var held) && held.Timestamp < timestamp)
        {
            _packets.Dequeue();
            HeldBytes -= held.Packet.Length;
            Discarded++;
            count++;
        }

        return count;
    }

    /// <summary>A configuration change: a smaller capacity drops the newest packets that no longer fit.</summary>
    public int Resize(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
        if (_packets.Count <= capacity)
        {
            return 0;
        }

        var kept = _packets.Take(capacity).ToList();
        var dropped = _packets.Count - capacity;
        _packets.Clear();
        HeldBytes = 0;
        foreach (var held in kept)
        {
            _packets.Enqueue(held);
            HeldBytes += held.Packet.Length;
        }

        Discarded += dropped;
        return dropped;
    }

    private readonly record struct HeldPacket(byte[] Packet, long Timestamp);
}
