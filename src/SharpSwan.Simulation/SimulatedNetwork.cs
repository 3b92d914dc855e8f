using System.Net;

namespace SharpSwan.Simulation;

/// <summary>
/// An in-memory IP network between simulated hosts. Every decision (loss, duplication, jitter) is drawn from one seeded
/// <see cref="Random"/> in the order datagrams are sent, so the same seed and the same sends replay exactly.
/// Single-threaded: the simulation loop is its only user.
/// </summary>
public sealed class SimulatedNetwork
{
    private readonly Random _random;
    private readonly TimeProvider _clock;
    private readonly Dictionary<IPAddress, Action<SimulatedDatagram>> _hosts = [];
    private readonly Dictionary<(IPAddress, IPAddress), LinkConditions> _links = [];
    private readonly HashSet<(IPAddress, IPAddress)> _partitions = [];

    // Ordered by delivery time, then by send order, so simultaneous datagrams keep a stable order.
    private readonly PriorityQueue<SimulatedDatagram, (DateTimeOffset Due, long Sequence)> _inFlight = new();
    private long _nextSequence;

    public SimulatedNetwork(int seed, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _random = new Random(seed);
        this._clock = clock;
    }

    /// <summary>Conditions of every link that has no <see cref="SetLink"/> of its own.</summary>
    public LinkConditions DefaultConditions { get; set; } = LinkConditions.Default;

    /// <summary>
    /// Decides the fate of chosen datagrams (drop this response, delay that DELETE), after the link's own random draws so
    /// that interfering does not shift the rest of the run. Dropped datagrams count as lost.
    /// </summary>
    public Func<SimulatedDatagram, DatagramFate>? Interfere { get; set; }

    /// <summary>Every datagram handed to <see cref="Send"/>, before loss is decided (a tap for captures).</summary>
    public event Action<SimulatedDatagram>? DatagramSent;

    /// <summary>Every datagram dropped by link loss or a partition.</summary>
    public event Action<SimulatedDatagram>? DatagramLost;

    /// <summary>Every datagram just before it reaches its host.</summary>
    public event Action<SimulatedDatagram>? DatagramDelivered;

    public long SentCount { get; private set; }

    /// <summary>Dropped by link loss or a partition (at send time or while in flight).</summary>
    public long LostCount { get; private set; }

    public long DuplicatedCount { get; private set; }

    public long DeliveredCount { get; private set; }

    /// <summary>Addressed to an IP no host is attached to.</summary>
    public long UnroutableCount { get; private set; }

    public int InFlightCount => _inFlight.Count;

    public DateTimeOffset? NextDeliveryTime => _inFlight.TryPeek(out _, out var key) ? key.Due : null;

    /// <summary>Connects a host: datagrams to <paramref name="address"/> go to <paramref name="receiver"/>.</summary>
    public void Attach(IPAddress address, Action<SimulatedDatagram> receiver)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(receiver);
        if (!_hosts.TryAdd(address, receiver))
        {
            throw new InvalidOperationException($"{address} is already attached to the network");
        }
    }

    public void Detach(IPAddress address) => _hosts.Remove(address);

    public void SetLink(IPAddress a, IPAddress b, LinkConditions conditions)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        _links[Key(a, b)] = conditions;
    }

    public LinkConditions GetLink(IPAddress a, IPAddress b) => _links.GetValueOrDefault(Key(a, b), DefaultConditions);

    /// <summary>Cuts the link: from now on, and for datagrams already in flight, nothing gets through in either direction.</summary>
    public void Partition(IPAddress a, IPAddress b) => _partitions.Add(Key(a, b));

    public void Heal(IPAddress a, IPAddress b) => _partitions.Remove(Key(a, b));

    public bool IsPartitioned(IPAddress a, IPAddress b) => _partitions.Contains(Key(a, b));

    /// <summary>Sends a datagram over the link between the two addresses, subject to its conditions.</summary>
    public void Send(IPEndPoint source, IPEndPoint destination, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var datagram = new SimulatedDatagram(source, destination, payload.ToArray());
        SentCount++;
        DatagramSent?.Invoke(datagram);
        var link = GetLink(source.Address, destination.Address);

        // Draw every random number for this datagram up front and always in the same order, so that changing one
        // link's settings does not shift the decisions for the datagrams that follow.
        var lossRoll = _random.NextDouble() * 100;
        var duplicateRoll = _random.NextDouble() * 100;
        var firstDelay = Delay(link);
        var secondDelay = Delay(link);
        var fate = Interfere?.Invoke(datagram) ?? DatagramFate.Pass;
        if (IsPartitioned(source.Address, destination.Address) || lossRoll < link.LossPercent || fate.Dropped)
        {
            LostCount++;
            DatagramLost?.Invoke(datagram);
            return;
        }

        var now = _clock.GetUtcNow();
        Enqueue(datagram, now + firstDelay + fate.ExtraDelay);
        if (duplicateRoll < link.DuplicatePercent)
        {
            DuplicatedCount++;
            Enqueue(datagram with { Payload = (byte[])datagram.Payload.Clone() }, now + secondDelay);
        }
    }

    /// <summary>
    /// Puts a datagram on the wire that no host sent (an attacker's or a fuzzer's), bypassing loss and duplication;
    /// partitions still apply.
    /// </summary>
    public void Inject(IPEndPoint source, IPEndPoint destination, ReadOnlySpan<byte> payload, TimeSpan delay = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        Enqueue(new SimulatedDatagram(source, destination, payload.ToArray()), _clock.GetUtcNow() + delay);
    }

    /// <summary>Delivers every datagram due at or before <paramref name="now"/> and already in flight, in order. Returns how many arrived.</summary>
    public int DeliverDue(DateTimeOffset now)
    {
        // Datagrams sent while delivering (zero-latency replies) wait for the next call, so one call always ends.
        var delivered = 0;
        var sentBefore = _nextSequence;
        while (_inFlight.TryPeek(out _, out var key) && key.Due <= now && key.Sequence < sentBefore)
        {
            var datagram = _inFlight.Dequeue();
            if (IsPartitioned(datagram.Source.Address, datagram.Destination.Address))
            {
                LostCount++;
                DatagramLost?.Invoke(datagram);
                continue;
            }

            if (!_hosts.TryGetValue(datagram.Destination.Address, out var receiver))
            {
                UnroutableCount++;
                continue;
            }

            DeliveredCount++;
            delivered++;
            DatagramDelivered?.Invoke(datagram);
            receiver(datagram);
        }

        return delivered;
    }

    private TimeSpan Delay(LinkConditions link)
    {
        var jitterTicks = link.Jitter <= TimeSpan.Zero ? 0 : (long)(_random.NextDouble() * link.Jitter.Ticks);
        return link.Latency + TimeSpan.FromTicks(jitterTicks);
    }

    private void Enqueue(SimulatedDatagram datagram, DateTimeOffset due) =>
        _inFlight.Enqueue(datagram, (due, _nextSequence++));

    /// <summary>Links are undirected: (a, b) and (b, a) are one key.</summary>
    private static (IPAddress, IPAddress) Key(IPAddress a, IPAddress b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Span<byte> first = stackalloc byte[16];
        Span<byte> second = stackalloc byte[16];
        a.TryWriteBytes(first, out var firstLength);
        b.TryWriteBytes(second, out var secondLength);
        return first[..firstLength].SequenceCompareTo(second[..secondLength]) <= 0 ? (a, b) : (b, a);
    }
}
