using System.Net;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// The gateway's IKE SAs, owned in one place: by our SPI (how every message after IKE_SA_INIT finds its SA) and, while
/// half-open, by the peer's address and SPI (how a repeated IKE_SA_INIT is recognised and the COOKIE threshold counted).
/// An SA is in the table from its IKE_SA_INIT until it is removed; tunnels only point at the ones they use.
/// </summary>
internal sealed class IkeSaTable
{
    private readonly Dictionary<ulong, IkeSa> _byLocalSpi = [];
    private readonly Dictionary<(IPEndPoint Remote, ulong Spi), IkeSa> _halfOpen = [];
    private readonly Dictionary<IPAddress, int> _halfOpenBySource = [];

    /// <summary>Every IKE SA, each once (an SA is keyed by its one local SPI). No copy: the engine's tick walks it often.</summary>
    public IEnumerable<IkeSa> All => _byLocalSpi.Values;

    /// <summary>IKE SAs answered at IKE_SA_INIT that have not completed IKE_AUTH.</summary>
    public int HalfOpenCount => _halfOpen.Count;

    /// <summary>Half-open IKE SAs whose IKE_SA_INIT came from this address (the per-source cap).</summary>
    public int HalfOpenFrom(IPAddress address) => _halfOpenBySource.GetValueOrDefault(address);

    public bool Contains(ulong localSpi) => _byLocalSpi.ContainsKey(localSpi);

    public bool TryFind(ulong localSpi, out IkeSa sa) => _byLocalSpi.TryGetValue(localSpi, out sa!);

    public void Add(IkeSa sa) => _byLocalSpi[sa.LocalSpi] = sa;

    /// <summary>Adds an SA we answered at IKE_SA_INIT: known by our SPI, and half-open under the peer's address and SPI.</summary>
    public void AddHalfOpen(IkeSa sa)
    {
        Add(sa);
        if (_halfOpen.TryAdd((sa.Remote, sa.InitiatorSpi), sa))
        {
            _halfOpenBySource[sa.Remote.Address] = HalfOpenFrom(sa.Remote.Address) + 1;
        }
    }

    public bool TryFindHalfOpen(IPEndPoint remote, ulong initiatorSpi, out IkeSa sa) => _halfOpen.TryGetValue((remote, initiatorSpi), out sa!);

    /// <summary>The SA finished IKE_AUTH (or is being closed): it no longer counts as half-open.</summary>
    public void NoLongerHalfOpen(IkeSa sa)
    {
        if (_halfOpen.TryGetValue((sa.Remote, sa.InitiatorSpi), out var found) && found == sa)
        {
            Forget((sa.Remote, sa.InitiatorSpi));
            return;
        }

        // The peer moved (to UDP 4500) since it was registered: find it under the endpoint it had then.
        foreach (var key in _halfOpen.Where(h => h.Value == sa).Select(h => h.Key).ToList())
        {
            Forget(key);
        }
    }

    private void Forget((IPEndPoint Remote, ulong Spi) key)
    {
        _halfOpen.Remove(key);
        var left = HalfOpenFrom(key.Remote.Address) - 1;
        if (left > 0)
        {
            _halfOpenBySource[key.Remote.Address] = left;
        }
        else
        {
            _halfOpenBySource.Remove(key.Remote.Address);
        }
    }

    public void Remove(IkeSa sa)
    {
        _byLocalSpi.Remove(sa.LocalSpi);
        NoLongerHalfOpen(sa);
    }

    /// <summary>The live (not yet removed) IKE SAs of a tunnel.</summary>
    public IEnumerable<IkeSa> Of(TunnelRuntime tunnel) => All.Where(s => s.Tunnel == tunnel);

    /// <summary>Empties the table, handing back what it held (for disposal).</summary>
    public List<IkeSa> Clear()
    {
        var all = All.ToList();
        _byLocalSpi.Clear();
        _halfOpen.Clear();
        _halfOpenBySource.Clear();
        return all;
    }
}
