using System.Collections;
using System.Collections.Concurrent;
using System.Numerics;
using SharpSwan.Esp.Core;

namespace SharpSwan.Gateway.DataPlane;

/// <summary>
/// A dial-up template's connected peers (instances) and, for the outbound path, which of them owns a packet: each installed
/// SA's negotiated remote selector is cut into CIDR blocks and hashed by (network, prefix length), so a packet costs one
/// hash lookup per prefix length in use (usually one: /32 mode-cfg addresses, or the peers' subnets) however many peers
/// are connected. Candidates are confirmed against their phase 2's outbound SA as before (addresses, protocol, ports),
/// and when several instances cover a packet the earliest connected wins, as the scan in connection order did.
/// </summary>
/// <remarks>
/// Changed by the engine thread only (instances added and removed, SAs installed and removed), read by the TUN workers
/// without locks: the tables are concurrent and each key's entries are replaced as a whole. An entry left behind by an SA
/// that vanished another way only costs a failed confirmation, and goes with its instance.
/// </remarks>
public sealed class InstanceIndex : IReadOnlyCollection<TunnelPath>
{
    private const int PhasesPerInstance = 4096;

    private readonly ConcurrentDictionary<string, TunnelPath> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<PrefixKey, Entry[]> _byPrefix = new();
    private readonly Dictionary<TunnelPath, List<ChildSaPath>> _sasByInstance = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<TunnelPath, long> _order = new(ReferenceEqualityComparer.Instance);
    private readonly int[] _blocksPerLength = new int[33];
    private readonly Lock _writer = new();
    private long _lengthsInUse;
    private long _nextOrder;

    /// <summary>The connected instances, in no particular order.</summary>
    public ICollection<TunnelPath> All => _byName.Values;

    public int Count => _byName.Count;

    public TunnelPath? Find(string instanceName) => _byName.GetValueOrDefault(instanceName);

    public IEnumerator<TunnelPath> GetEnumerator() => _byName.Values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Adds (or replaces, by name) an instance; it matches packets once its SAs are installed.</summary>
    public void Add(TunnelPath instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        lock (_writer)
        {
            if (_byName.TryGetValue(instance.Name, out var previous))
            {
                RemoveLocked(previous);
            }

            _order[instance] = _nextOrder++;
            _byName[instance.Name] = instance;
        }
    }

    /// <summary>Forgets an instance and every SA entry it had.</summary>
    public bool Remove(TunnelPath instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        lock (_writer)
        {
            return RemoveLocked(instance);
        }
    }

    public void Clear()
    {
        lock (_writer)
        {
            foreach (var instance in _byName.Values)
            {
                RemoveLocked(instance);
            }
        }
    }

    /// <summary>An SA of one of the instances was installed: packets inside its remote selector may now be its instance's.</summary>
    public void AddSa(TunnelPath instance, ChildSaPath sa)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(sa);
        lock (_writer)
        {
            if (!_order.TryGetValue(instance, out var order))
            {
                return;
            }

            if (!_sasByInstance.TryGetValue(instance, out var list))
            {
                list = [];
                _sasByInstance[instance] = list;
            }

            if (list.Contains(sa))
            {
                return;
            }

            list.Add(sa);

            var phase2Index = IndexOf(instance.Phase2, sa.Phase2);
            var entry = new Entry(sa, sa.Phase2, (order * PhasesPerInstance) + Math.Max(0, phase2Index));
            foreach (var key in Blocks(sa.RemoteStart, sa.RemoteEnd))
            {
                var existing = _byPrefix.GetValueOrDefault(key) ?? [];
                _byPrefix[key] = [.. existing, entry];
                if (_blocksPerLength[key.Length]++ == 0)
                {
                    Interlocked.Or(ref _lengthsInUse, 1L << key.Length);
                }
            }
        }
    }

    /// <summary>An SA was removed: its entries go.</summary>
    public void RemoveSa(TunnelPath instance, ChildSaPath sa)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(sa);
        lock (_writer)
        {
            if (_sasByInstance.TryGetValue(instance, out var list) && list.Remove(sa))
            {
                RemoveEntries(sa);
            }
        }
    }

    /// <summary>The outbound SA of the earliest connected instance whose phase 2 covers the packet; null when none does.</summary>
    public ChildSaPath? Match(in PacketFlow flow)
    {
        var lengths = (ulong)Volatile.Read(ref _lengthsInUse);
        ChildSaPath? best = null;
        var bestOrder = long.MaxValue;
        while (lengths != 0)
        {
            var length = 63 - BitOperations.LeadingZeroCount(lengths);
            lengths &= ~(1UL << length);
            if (!_byPrefix.TryGetValue(new PrefixKey(Network(flow.Destination, length), length), out var entries))
            {
                continue;
            }

            foreach (var entry in entries)
            {
                if (entry.Order < bestOrder && entry.Phase2.Active is { Removed: false } active && active.CoversOutbound(flow))
                {
                    best = active;
                    bestOrder = entry.Order;
                }
            }
        }

        return best;
    }

    /// <summary>The CIDR blocks that together are exactly [start, end] (at most 62).</summary>
    internal static IEnumerable<PrefixKey> Blocks(uint start, uint end)
    {
        var current = (ulong)start;
        while (current <= end)
        {
            // The largest aligned block that starts at current and does not pass end.
            var size = current == 0 ? 1UL << 32 : 1UL << BitOperations.TrailingZeroCount(current);
            while (current + size - 1 > end)
            {
                size >>= 1;
            }

            var length = 32 - BitOperations.Log2(size);
            yield return new PrefixKey((uint)current, length);
            current += size;
        }
    }

    private static uint Network(uint address, int length) => length == 0 ? 0 : address & (uint.MaxValue << (32 - length));

    private static int IndexOf(IReadOnlyList<Phase2Path> phase2s, Phase2Path phase2)
    {
        for (var i = 0; i < phase2s.Count; i++)
        {
            if (ReferenceEquals(phase2s[i], phase2))
            {
                return i;
            }
        }

        return -1;
    }

    private bool RemoveLocked(TunnelPath instance)
    {
        if (!_byName.TryRemove(new KeyValuePair<string, TunnelPath>(instance.Name, instance)))
        {
            return false;
        }

        _order.Remove(instance);
        if (_sasByInstance.Remove(instance, out var sas))
        {
            foreach (var sa in sas)
            {
                RemoveEntries(sa);
            }
        }

        return true;
    }

    private void RemoveEntries(ChildSaPath sa)
    {
        foreach (var key in Blocks(sa.RemoteStart, sa.RemoteEnd))
        {
            if (!_byPrefix.TryGetValue(key, out var existing))
            {
                continue;
            }

            var remaining = Array.FindAll(existing, e => !ReferenceEquals(e.Sa, sa));
            if (remaining.Length == existing.Length)
            {
                continue;
            }

            if (remaining.Length == 0)
            {
                _byPrefix.TryRemove(key, out _);
            }
            else
            {
                _byPrefix[key] = remaining;
            }

            if (--_blocksPerLength[key.Length] == 0)
            {
                Interlocked.And(ref _lengthsInUse, ~(1L << key.Length));
            }
        }
    }

    /// <summary>One CIDR block of a remote selector.</summary>
    internal readonly record struct PrefixKey(uint Network, int Length);

    /// <summary>An installed SA's block entry; <paramref name="Order"/> ranks instances by connection, then phase 2 by position.</summary>
    private sealed record Entry(ChildSaPath Sa, Phase2Path Phase2, long Order);
}
