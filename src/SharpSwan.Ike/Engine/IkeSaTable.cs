using System.Net;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// The gateway's IKE SAs, owned in one place: by our SPI (how every message after IKE_SA_INIT finds its SA) and, while
/// half-open, by the peer's address and SPI (how a repeated IKE_SA_INIT is recognised and the COOKIE threshold counted).
/// An SA is in the table from its IKE_SA_INIT until it is removed; tunnels only point at the ones they use. Every SA
/// added or found here is reported to the engine's timer index as touched.
/// </summary>
internal sealed class IkeSaTable(Action<IkeSa> touched)
{
    private readonly Dictionary<ulong, IkeSa> _byLocalSpi = [];
    private long _nextSequence;
    private readonly Dictionary<(IPEndPoint Remote, ulong Spi), IkeSa> _halfOpen = [];
    private readonly Dictionary<IPAddress, int> _halfOpenBySource = [];

    /// <summary>Every IKE SA, each once (an SA is keyed by its one local SPI). No copy: the engine's tick walks it often.</summary>
    public IEnumerable<IkeSa> All => _byLocalSpi.Values;

    /// <summary>IKE SAs answered at IKE_SA_INIT that have not completed IKE_AUTH.</summary>
    public int HalfOpenCount => _halfOpen.Count;

    /// <summary>Half-open IKE SAs whose IKE_SA_INIT came from this address (the per-source cap).</summary>
    public int HalfOpenFrom(IPAddress address) => _halfOpenBySource.GetValueOrDefault(address);

    public bool Contains(ulong localSpi) => _byLocalSpi.ContainsKey(localSpi);

    /// <summary>Finds an SA by our SPI; one found is reported touched (a message for it may change its timers).</summary>
    public bool TryFind(ulong localSpi, out IkeSa sa)
    {
        if (!_byLocalSpi.TryGetValue(localSpi, out sa!))
        {
            return false;
        }

        touched(sa);
        return true;
    }

    /// <summary>How many IKE SAs the table holds.</summary>
    public int Count => _byLocalSpi.Count;

    public void Add(IkeSa sa)
    {
        _byLocalSpi[sa.LocalSpi] = sa;
        if (!sa.InTable)
        {
            sa.InTable = true;
            sa.TableSequence = _nextSequence++;
            sa.Tunnel.Sas.Add(sa);
        }

        touched(sa);
    }

    /// <summary>Adds an SA we answered at IKE_SA_INIT: known by our SPI, and half-open under the peer's address and SPI.</summary>
    public void AddHalfOpen(IkeSa sa)
    {
        Add(sa);
        if (_halfOpen.TryAdd((sa.Remote, sa.InitiatorSpi), sa))
        {
            sa.HalfOpenKey = (sa.Remote, sa.InitiatorSpi);
            _halfOpenBySource[sa.Remote.Address] = HalfOpenFrom(sa.Remote.Address) + 1;
        }
    }

    public bool TryFindHalfOpen(IPEndPoint remote, ulong initiatorSpi, out IkeSa sa)
    {
        if (!_halfOpen.TryGetValue((remote, initiatorSpi), out sa!))
        {
            return false;
        }

        touched(sa);
        return true;
    }

    /// <summary>The SA finished IKE_AUTH (or is being closed): it no longer counts as half-open.</summary>
    public void NoLongerHalfOpen(IkeSa sa)
    {
        // Under the key it was registered with: the peer may have moved (to UDP 4500) since.
        if (sa.HalfOpenKey is { } key)
        {
            sa.HalfOpenKey = null;
            if (_halfOpen.TryGetValue(key, out var found) && found == sa)
            {
                Forget(key);
            }
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
        if (_byLocalSpi.TryGetValue(sa.LocalSpi, out var found) && found == sa)
        {
            _byLocalSpi.Remove(sa.LocalSpi);
        }

        if (sa.InTable)
        {
            sa.InTable = false;
            sa.Tunnel.Sas.Remove(sa);
        }

        NoLongerHalfOpen(sa);
    }

    /// <summary>The live (not yet removed) IKE SAs of a tunnel, in the order they joined the table.</summary>
    public IEnumerable<IkeSa> Of(TunnelRuntime tunnel) => tunnel.Sas.OrderBy(s => s.TableSequence);

    /// <summary>True when the tunnel has a live SA other than <paramref name="sa"/> (no ordering needed).</summary>
    public static bool HasOtherLive(TunnelRuntime tunnel, IkeSa sa) =>
        tunnel.Sas.Any(other => other != sa && other.State != IkeSaState.Dead);

    /// <summary>Empties the table, handing back what it held (for disposal).</summary>
    public List<IkeSa> Clear()
    {
        var all = All.ToList();
        foreach (var sa in all)
        {
            sa.InTable = false;
            sa.Tunnel.Sas.Remove(sa);
        }

        _byLocalSpi.Clear();
        _halfOpen.Clear();
        _halfOpenBySource.Clear();
        return all;
    }
}
