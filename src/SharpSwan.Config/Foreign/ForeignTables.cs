namespace SharpSwan.Config;

/// <summary>
/// What SharpSwan does with a <c>config</c> path its schema does not have. The schema is asked first
/// (<see cref="SupportedTables.Find"/>), so a table that becomes a real one leaves this set with no change here.
/// Paths under <c>vpn ipsec</c> are SharpSwan's own ground and refused; the few that would change what the file means
/// are refused with the way forward; every other table is kept verbatim with a warning naming what to use instead.
/// </summary>
internal static class ForeignTables
{
    /// <summary>The way forward per path prefix (longest prefix wins), in the warning that the table is kept.</summary>
    private static readonly (string Prefix, string Advice)[] Advice =
    [
        ("system interface", "SharpSwan applies the ip, remote-ip and mtu of a type tunnel entry named after a phase1-interface to that tunnel's TUN device; other interfaces (physical, vlan, loopback, ...) and their addresses are the host's: configure them with the host's network tools (ip, systemd-networkd, ifupdown)"),
        ("router bgp", "run a routing daemon such as FRR (bgpd) over the tunnel interfaces"),
        ("router ospf", "run a routing daemon such as FRR (ospfd) over the tunnel interfaces"),
        ("router ospf6", "run a routing daemon such as FRR (ospf6d) over the tunnel interfaces"),
        ("router rip", "run a routing daemon such as FRR (ripd) over the tunnel interfaces"),
        ("router isis", "run a routing daemon such as FRR (isisd) over the tunnel interfaces"),
        ("router", "routing filters and dynamic routing belong in a routing daemon such as FRR, with the protocol they filter"),
        ("system settings", "SharpSwan is one routed (NAT/route mode) gateway; VDOM-wide options such as ECMP or asymmetric routing are the host's (sysctl, ip rule)"),
        ("system sdwan", "steer traffic across tunnels with Linux policy routing (ip rule) or FRR"),
        ("system virtual-wan-link", "steer traffic across tunnels with Linux policy routing (ip rule) or FRR"),
        ("system zone", "zones group interfaces for firewall policies; use nftables interface sets on the host"),
        ("system sdn-connector", "cloud SDN connectors have no SharpSwan equivalent; name addresses statically"),
        ("system dns", "use the host's resolver (systemd-resolved, /etc/resolv.conf)"),
        ("system ntp", "use the host's NTP client (chrony, systemd-timesyncd)"),
        ("system ha", "high availability is not implemented; SAs are not synchronised between two SharpSwan gateways"),
        ("system", "a FortiOS system feature outside an IPsec gateway's scope; configure its equivalent on the host"),
        ("user", "SharpSwan authenticates peers with pre-shared keys and certificates (psksecret, authmethod signature); XAUTH, EAP and user-group checks are not implemented"),
        ("firewall", "SharpSwan implements firewall policy, address, addrgrp, service custom and schedule recurring/onetime only; other filtering and NAT belong on the host, with nftables"),
        ("vpn ssl", "SSL VPN is another product; use an SSL/TLS VPN server on the host, or IKEv2 dial-up (phase1-interface type dynamic)"),
        ("vpn certificate", "SharpSwan reads vpn certificate local and ca; certificate revocation and remote certificates are not checked"),
        ("log", "SharpSwan writes its own VPN event log and forwards it with config log syslogd setting"),
        ("", "a FortiOS feature outside SharpSwan's scope (IKEv2/IPsec); configure its equivalent on the host"),
    ];

    /// <summary>Paths refused outright: keeping them would hide that the file means something SharpSwan cannot do.</summary>
    private static readonly (string Path, string Reason)[] Refused =
    [
        ("vdom", "a multi-VDOM backup: SharpSwan is one gateway; export one VDOM's configuration (show inside 'config vdom' / 'edit <vdom>') and check that"),
        ("global", "a multi-VDOM backup: SharpSwan is one gateway; export one VDOM's configuration (show inside 'config vdom' / 'edit <vdom>') and check that"),
        ("vpn ipsec manualkey", "manual-key IPsec is not supported: use an IKEv2 phase1-interface and phase2-interface"),
        ("vpn ipsec manualkey-interface", "manual-key IPsec is not supported: use an IKEv2 phase1-interface and phase2-interface"),
        ("firewall schedule group", "schedule groups are not supported by SharpSwan: give each policy one recurring or onetime schedule (one policy per schedule)"),
        ("vpn ipsec concentrator", "VPN concentrators (hub-and-spoke between policy-based tunnels) are not supported: use route-based tunnels (phase1-interface) and routes"),
    ];

    /// <summary>The prefix under which an unknown path is an error rather than a kept table.</summary>
    private const string OwnedPrefix = "vpn ipsec";

    /// <summary>Why a path is refused outright (with the way forward), or null.</summary>
    public static string? RefusalReason(string path)
    {
        foreach (var (refusedPath, reason) in Refused)
        {
            if (path == refusedPath)
            {
                return reason;
            }
        }

        return null;
    }

    /// <summary>True for a path under <c>vpn ipsec</c>: a table there that SharpSwan lacks is an error, never kept.</summary>
    public static bool IsOwned(string path) =>
        path == OwnedPrefix || path.StartsWith(OwnedPrefix + " ", StringComparison.Ordinal);

    /// <summary>What to use instead of the table at <paramref name="path"/>.</summary>
    public static string AdviceFor(string path)
    {
        var best = Advice[^1];
        foreach (var entry in Advice)
        {
            var matches = entry.Prefix.Length == 0 || path == entry.Prefix || path.StartsWith(entry.Prefix + " ", StringComparison.Ordinal);
            if (matches && entry.Prefix.Length > best.Prefix.Length)
            {
                best = entry;
            }
        }

        return best.Advice;
    }

    /// <summary>The warning printed by <c>check</c> and at start-up for a kept table.</summary>
    public static string KeptMessage(string path) =>
        $"config {path} is kept as it is but SharpSwan does not act on it: {AdviceFor(path)}";
}
