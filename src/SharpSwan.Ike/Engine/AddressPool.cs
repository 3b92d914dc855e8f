using System.Net;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// The mode-cfg range of one dial-up phase 1 (<c>ipv4-start-ip</c> to <c>ipv4-end-ip</c>). Each address is leased to at
/// most one peer; a peer that comes back gets its previous address again while nobody else holds it, so clients keep
/// their address across reconnects. Owned by the engine's thread like everything else in it.
/// </summary>
public sealed class AddressPool
{
    private readonly uint _first;
    private readonly uint _last;
    private readonly Dictionary<uint, string> _leased = [];
    private readonly Dictionary<string, uint> _remembered = new(StringComparer.Ordinal);

    // The same memory by address (at most one owner each), and the addresses handed out before and free again: a lease
    // looks up instead of walking every remembered owner or the whole range (issue 14 item 7, 10,000-peer hubs).
    private readonly Dictionary<uint, string> _rememberedBy = [];
    private readonly SortedSet<uint> _released = [];
    private uint _nextFresh;

    public AddressPool(IPAddress start, IPAddress end)
    {
        _first = ToUInt32(start);
        _last = Math.Max(_first, ToUInt32(end));
        _nextFresh = _first;
    }

    public int Size => (int)Math.Min(int.MaxValue, (long)_last - _first + 1);

    public int InUse => _leased.Count;

    /// <summary>True when this pool was made for the given range (a configuration change keeps leases if it did not move).</summary>
    public bool Covers(IPAddress start, IPAddress end) => ToUInt32(start) == _first && Math.Max(_first, ToUInt32(end)) == _last;

    /// <summary>Leases an address to <paramref name="owner"/> (the peer's identity); null when every address is taken.</summary>
    public IPAddress? Lease(string owner)
    {
        if (_remembered.TryGetValue(owner, out var previous) && !_leased.ContainsKey(previous))
        {
            _leased[previous] = owner;
            _released.Remove(previous);
            return ToAddress(previous);
        }

        // Hand out never-used addresses first, so a returning peer's old address stays free for it as long as possible.
        while (_nextFresh <= _last && _nextFresh >= _first)
        {
            var candidate = _nextFresh++;
            if (!_leased.ContainsKey(candidate))
            {
                return Take(candidate, owner);
            }
        }

        // Then the lowest address given back (every address below the fresh ones was handed out once).
        return _released.Count > 0 ? Take(_released.Min, owner) : null;
    }

    /// <summary>Returns an address to the pool; the owner is remembered so it gets it back next time if still free.</summary>
    public void Release(IPAddress address)
    {
        var value = ToUInt32(address);
        if (_leased.Remove(value))
        {
            _released.Add(value);
        }
    }

    public bool IsLeased(IPAddress address) => _leased.ContainsKey(ToUInt32(address));

    private IPAddress Take(uint candidate, string owner)
    {
        if (_remembered.TryGetValue(owner, out var old) && old != candidate)
        {
            _remembered.Remove(owner);
            _rememberedBy.Remove(old);
        }

        // Forget whoever had this address before: it is someone else's now.
        if (_rememberedBy.TryGetValue(candidate, out var stale) && stale != owner)
        {
            _remembered.Remove(stale);
        }

        _leased[candidate] = owner;
        _released.Remove(candidate);
        _remembered[owner] = candidate;
        _rememberedBy[candidate] = owner;
        return ToAddress(candidate);
    }

    private static uint ToUInt32(IPAddress address) => Negotiation.SelectorMath.ToUInt32(address);

    private static IPAddress ToAddress(uint value) => Negotiation.SelectorMath.FromUInt32(value);
}
