using System.Buffers.Binary;
using System.Net;
using SharpSwan.Config;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Wire;
using WireAuthMethod = SharpSwan.Ike.Wire.AuthMethod;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// Dial-up phase 1s (<c>type dynamic</c>): choosing which one a peer belongs to, one tunnel instance per authenticated
/// peer, and the mode-cfg address pools (RFC 7296 §3.15).
/// </summary>
public sealed partial class IkeEngine
{
    // Configuration attribute types (RFC 7296 §3.15.1).
    private const ushort InternalIp4Address = 1;
    private const ushort InternalIp4Netmask = 2;
    private const ushort InternalIp4Dns = 3;
    private const ushort InternalIp4Subnet = 13;

    private readonly Dictionary<string, AddressPool> _pools = new(StringComparer.Ordinal);

    /// <summary>The dial-up instances of a dynamic phase 1, in index order.</summary>
    public IEnumerable<TunnelRuntime> InstancesOf(string template) =>
        _configured.TryGetValue(template, out var tunnel) ? tunnel.Instances.Values.OrderBy(t => t.InstanceIndex) : [];

    /// <summary>How many addresses of a dial-up phase 1's pool are leased, and its size (null without a pool).</summary>
    public (int InUse, int Size)? PoolUsage(string template)
    {
        if (!_tunnels.TryGetValue(template, out var tunnel) || !tunnel.IsDialupTemplate || !tunnel.Settings.ModeCfg || !tunnel.Settings.AssignIp)
        {
            return null;
        }

        var pool = PoolFor(tunnel);
        return (pool.InUse, pool.Size);
    }

    /// <summary>
    /// Several dynamic phase 1s may listen on one address; the peer's AUTH method and identity pick the one it belongs to
    /// (a <c>peertype one</c> match wins over <c>any</c>). Null when none accepts it.
    /// </summary>
    private TunnelRuntime? ChooseDialupTemplate(TunnelRuntime first, IPAddress local, WireAuthMethod method, IdentificationPayload id)
    {
        TunnelRuntime? fallback = null;
        foreach (var candidate in ConfiguredIndex().Templates.Where(t => t.Settings.IkeVersion == 2).OrderBy(t => t == first ? 0 : 1))
        {
            candidate.LocalAddress ??= _options.LocalAddressResolver(candidate.Settings);
            if (candidate.LocalAddress is { } address && !address.Equals(local) && !address.Equals(IPAddress.Any))
            {
                continue;
            }

            var wantsSignature = candidate.Settings.Authmethod == Config.AuthMethod.Signature;
            var isSignature = method != WireAuthMethod.SharedKeyMessageIntegrityCode;
            if (wantsSignature != isSignature)
            {
                continue;
            }

            if (candidate.Settings.PeerType == PeerType.One)
            {
                if (IkeIdentities.PeerAccepted(candidate.Settings, id, out _))
                {
                    return candidate;
                }

                continue;
            }

            fallback ??= candidate;
        }

        return fallback;
    }

    /// <summary>Makes the tunnel instance for a peer (<paramref name="identity"/>) that just authenticated on a dial-up phase 1.</summary>
    private TunnelRuntime CreateInstance(TunnelRuntime template, string identity)
    {
        var instance = new TunnelRuntime
        {
            Settings = template.Settings,
            Phase2 = template.Phase2,
            Template = template,
            InstanceIndex = LowestFreeInstanceIndex(template),
            LocalAddress = template.LocalAddress,
            InstanceIdentity = identity,
        };
        Register(instance);
        _host.DialupInstanceAdded(template.Name, instance.Name);
        _log.Tunnel(IkeLogLevel.Event, instance.Name, $"dial-up instance of {template.Name} created");
        Publish(instance, new DialupInstanceCreated { Template = template.Name });
        return instance;
    }

    /// <summary>
    /// The lowest instance index not in use (FortiOS reuses them: <c>NAME_0</c> again once its peer left), skipping one whose
    /// name a configured phase 1 already has. Released indexes wait in the template's free set, so no instance is walked.
    /// </summary>
    private int LowestFreeInstanceIndex(TunnelRuntime template)
    {
        foreach (var free in template.FreeInstanceIndexes)
        {
            if (!_tunnels.ContainsKey($"{template.Name}_{free}"))
            {
                template.FreeInstanceIndexes.Remove(free);
                return free;
            }
        }

        var index = template.NextInstanceIndex;
        while (_tunnels.ContainsKey($"{template.Name}_{index}"))
        {
            // Taken by a configured phase 1's name: free for later, should that phase 1 go.
            template.FreeInstanceIndexes.Add(index);
            index++;
        }

        template.NextInstanceIndex = index + 1;
        return index;
    }

    /// <summary>Removes a dial-up instance once it holds no IKE SA any more (peer left, DPD, expiry, delete).</summary>
    private void ReleaseInstanceIfUnused(TunnelRuntime tunnel)
    {
        if (!tunnel.IsDialupInstance || tunnel.Current is not null || tunnel.Retiring.Count > 0 ||
            tunnel.Sas.Any(s => s.State != IkeSaState.Dead))
        {
            return;
        }

        if (!Forget(tunnel))
        {
            return;
        }

        if (tunnel.AssignedAddress is { } address && _pools.TryGetValue(tunnel.Template!.Name, out var pool))
        {
            pool.Release(address);
            _log.Tunnel(IkeLogLevel.Negotiation, tunnel.Name, $"mode-cfg address {address} returned to the pool");
            Publish(tunnel, new AddressReleased { Address = address, ToPeer = true });
        }

        tunnel.AssignedAddress = null;
        _log.Tunnel(IkeLogLevel.Event, tunnel.Name, "dial-up instance removed");
        Publish(tunnel, new DialupInstanceRemoved { Template = tunnel.Template!.Name });
        _host.DialupInstanceRemoved(tunnel.Template!.Name, tunnel.Name);
    }

    /// <summary>INITIAL_CONTACT from a dial-up peer: whatever instance it left behind (same identity) is stale.</summary>
    private void RemoveStaleInstances(TunnelRuntime template, string identity, IkeSa keep)
    {
        // Instances are indexed by the identity they were made for, which their IKE SAs keep; the test is the same as ever.
        if (!template.InstancesByIdentity.TryGetValue(identity, out var candidates))
        {
            return;
        }

        foreach (var stale in candidates.Where(t => t.Current is { } current && current != keep &&
                     string.Equals(current.PeerIdentity, identity, StringComparison.Ordinal)).OrderBy(t => t.Sequence).ToList())
        {
            _log.Tunnel(IkeLogLevel.Event, stale.Name, $"peer {identity} reconnected with INITIAL_CONTACT: removing its old instance");
            Publish(stale, new PeerRestartDetected { PeerIdentity = identity, StaleSpis = stale.Current?.SpiText });
            foreach (var sa in _sas.Of(stale).ToList())
            {
                RemoveIkeSa(sa, "peer sent INITIAL_CONTACT");
            }

            ReleaseInstanceIfUnused(stale);
        }
    }

    private AddressPool PoolFor(TunnelRuntime template)
    {
        var settings = template.Settings;
        if (!_pools.TryGetValue(template.Name, out var pool) || !pool.Covers(settings.Ipv4StartIp, settings.Ipv4EndIp))
        {
            pool = new AddressPool(settings.Ipv4StartIp, settings.Ipv4EndIp);
            _pools[template.Name] = pool;
        }

        return pool;
    }

    /// <summary>The IPv4 DNS servers among mode-cfg attributes (INTERNAL_IP4_DNS, the same number in IKEv1 and IKEv2).</summary>
    internal static IReadOnlyList<IPAddress> DnsServersIn(IEnumerable<(ushort Type, byte[]? Value)> attributes) =>
        [.. attributes.Where(a => a.Type == InternalIp4Dns && a.Value is { Length: 4 }).Select(a => new IPAddress(a.Value!))];

    /// <summary>
    /// The DNS servers a mode-cfg client gets: with <c>dns-mode manual</c> the phase 1's <c>ipv4-dns-server1..3</c>, with
    /// <c>auto</c> the host's own (IPv4, at most three, as the host has them now).
    /// </summary>
    private IEnumerable<IPAddress> DnsServersFor(TunnelRuntime template)
    {
        var settings = template.Settings;
        if (settings.DnsMode == DnsMode.Manual)
        {
            return new[] { settings.Ipv4DnsServer1, settings.Ipv4DnsServer2, settings.Ipv4DnsServer3 }.Where(dns => !dns.Equals(IPAddress.Any));
        }

        var system = _options.SystemDnsServers().Where(dns => dns.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork).Take(3).ToList();
        if (system.Count == 0)
        {
            _log.Tunnel(IkeLogLevel.Negotiation, template.Name, "mode-cfg: dns-mode auto, but the host has no IPv4 DNS server to push");
        }

        return system;
    }

    /// <summary>
    /// The CFG_REPLY for a client's CFG_REQUEST: its address (leased here, <paramref name="leased"/>), netmask, DNS servers
    /// and the split-include subnet. Returns false when the pool has no address left (INTERNAL_ADDRESS_FAILURE).
    /// </summary>
    private bool TryBuildModeCfgReply(TunnelRuntime template, ConfigurationPayload request, string identity, out ConfigurationPayload? reply, out IPAddress? leased)
    {
        var wantsAddress = request.Attributes.Any(a => a.AttributeType == InternalIp4Address);
        var values = ModeCfgValues(template, wantsAddress, identity, out leased);
        reply = values is null ? null : new ConfigurationPayload(ConfigurationType.Reply, [.. values.Select(v => new ConfigurationAttribute(v.Type, v.Value))]);
        return values is not null;
    }

    /// <summary>
    /// What a mode-cfg server hands out, as (attribute type, value) pairs IKEv2's configuration payload and IKEv1's attribute
    /// payload number alike: the address (leased here when <paramref name="wantsAddress"/>) and netmask, DNS servers and the
    /// split-include subnet. Null when the pool has no address left.
    /// </summary>
    private List<(ushort Type, byte[] Value)>? ModeCfgValues(TunnelRuntime template, bool wantsAddress, string identity, out IPAddress? leased)
    {
        var settings = template.Settings;
        var attributes = new List<(ushort Type, byte[] Value)>();
        leased = null;
        if (settings.AssignIp && wantsAddress)
        {
            leased = PoolFor(template).Lease(identity);
            if (leased is null)
            {
                return null;
            }

            attributes.Add((InternalIp4Address, leased.GetAddressBytes()));
            attributes.Add((InternalIp4Netmask, settings.Ipv4Netmask.GetAddressBytes()));
        }

        foreach (var dns in DnsServersFor(template))
        {
            attributes.Add((InternalIp4Dns, dns.GetAddressBytes()));
        }

        if (settings.Ipv4SplitInclude is { } name && Configuration.FirewallAddresses.FirstOrDefault(a => a.Name == name) is { } subnet)
        {
            var value = new byte[8];
            subnet.Address.TryWriteBytes(value, out _);
            BinaryPrimitives.WriteUInt32BigEndian(value.AsSpan(4), subnet.PrefixLength == 0 ? 0 : uint.MaxValue << (32 - subnet.PrefixLength));
            attributes.Add((InternalIp4Subnet, value));
        }

        return attributes;
    }
}
