using System.Net;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// The mode-cfg range of one dial-up phase 1 (<c>ipv4-start-ip</c> to <c>ipv4-end-ip</c>). Each address is leased to at
/// most one peer; a peer that comes back gets its previous address again while nobody else holds it, so clients keep
/// their address across reconnects. Owned by the engine's thread like everything else in it.
/// </summary>
public sealed class AddressPool
{
    private readonly uint first;
    private readonly uint last;
    private readonly Dictionary<uint, string> leased = [];
    private readonly Dictionary<string, uint> remembered = new(StringComparer.Ordinal);
    private uint nextFresh;

    public AddressPool(IPAddress start, IPAddress end)
    {
        first = ToUInt32(start);
        last = Math.Max(first, ToUInt32(end));
        nextFresh = first;
    }

    public int Size => (int)Math.Min(int.MaxValue, (long)last - first + 1);

    public int InUse => leased.Count;

    /// <summary>True when this pool was made for the given range (a configuration change keeps leases if it did not move).</summary>
    public bool Covers(IPAddress start, IPAddress end) => ToUInt32(start) == first && Math.Max(first, ToUInt32(end)) == last;

    /// <summary>Leases an address to <paramref name="owner"/> (the peer's identity); null when every address is taken.</summary>
    public IPAddress? Lease(string owner)
    {
        if (remembered.TryGetValue(owner, out var previous) && !leased.ContainsKey(previous))
        {
            leased[previous] = owner;
            return ToAddress(previous);
        }

        // Hand out never-used addresses first, so a returning peer's old address stays free for it as long as possible.
        while (nextFresh <= last && nextFresh >= first)
        {
            var candidate = nextFresh++;
            if (!leased.ContainsKey(candidate))
            {
                return Take(candidate, owner);
            }
        }

        for (var candidate = first; candidate <= last && candidate >= first; candidate++)
        {
            if (!leased.ContainsKey(candidate))
            {
                return Take(candidate, owner);
            }
        }

        return null;
    }

    /// <summary>Returns an address to the pool; the owner is remembered so it gets it back next time if still free.</summary>
    public void Release(IPAddress address)
    {
        leased.Remove(ToUInt32(address));
    }

    public bool IsLeased(IPAddress address) => leased.ContainsKey(ToUInt32(address));

    private IPAddress Take(uint candidate, string owner)
    {
        if (remembered.TryGetValue(owner, out var old) && old != candidate)
        {
            remembered.Remove(owner);
        }

        // Forget whoever had this address before: it is someone else's now.
        foreach (var stale in remembered.Where(r => r.Value == candidate && r.Key != owner).Select(r => r.Key).ToList())
        {
            remembered.Remove(stale);
        }

        leased[candidate] = owner;
        remembered[owner] = candidate;
        return ToAddress(candidate);
    }

    private static uint ToUInt32(IPAddress address) => Negotiation.SelectorMath.ToUInt32(address);

    private static IPAddress ToAddress(uint value) => Negotiation.SelectorMath.FromUInt32(value);
}
