namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// A dial-up hub and the internet in front of it, all in namespaces:
/// <code>
///   hub (wan0 203.0.113.1, LAN 10.1.0.1/24)
///     |
///   wan router (ip_forward; one /24 leg per attached namespace, the router is .1 on each, .254 on the hub's)
///     |-- direct hosts: wan0 x.y.z.N/24, default route via x.y.z.1 (e.g. client1 198.51.100.10)
///     |-- NAT (wan0 192.0.2.2, masquerades 192.168.77.0/24 with nftables; br0 192.168.77.1 on its inside)
///           |-- hosts behind it: wan0 192.168.77.N/24 on br0, default route via 192.168.77.1
/// </code>
/// Namespaces are created on demand and all removed on dispose (hosts first, the hub last).
/// </summary>
public sealed class DialUpTopology : IDisposable
{
    public const string WanInterface = "wan0";
    public const string HubWanAddress = "203.0.113.1";
    public const string HubRouterAddress = "203.0.113.254";
    public const string HubLanAddress = "10.1.0.1";
    public const string HubLanSubnet = "10.1.0.0/24";
    public const string NatPublicAddress = "192.0.2.2";
    public const string NatInsideAddress = "192.168.77.1";
    public const string NatInsideSubnet = "192.168.77.0/24";

    private readonly List<NetworkNamespace> _namespaces = [];
    private NetworkNamespace? _nat;
    private int _routerLegs;
    private int _natPorts;
    private bool _disposed;

    private DialUpTopology(NetworkNamespace router, NetworkNamespace hub)
    {
        Router = router;
        Hub = hub;
        _namespaces.Add(router);
        _namespaces.Add(hub);
    }

    public NetworkNamespace Hub { get; }

    public NetworkNamespace Router { get; }

    /// <summary>The masquerading NAT namespace; null until the first host is put behind it.</summary>
    public NetworkNamespace? Nat => _nat;

    /// <summary>The hub and the router; hosts are added with <see cref="AddDirectHost"/> and <see cref="AddHostBehindNat"/>.</summary>
    public static DialUpTopology Create()
    {
        NetworkNamespace router = NetworkNamespace.Create();
        NetworkNamespace? hub = null;
        try
        {
            hub = NetworkNamespace.Create();
            router.Run("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            router.ConnectVeth("r-hub", HubRouterAddress + "/24", hub, WanInterface, HubWanAddress + "/24");
            hub.Run("ip", "route", "add", "default", "via", HubRouterAddress);
            hub.AddLan("lan0", HubLanAddress + "/24");
            return new DialUpTopology(router, hub);
        }
        catch
        {
            hub?.Dispose();
            router.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A namespace on a router leg of its own: <paramref name="address"/>/24 on wan0, the router at .1 of that /24
    /// (so the address must not end in .1 and no two direct hosts may share a /24).
    /// </summary>
    public NetworkNamespace AddDirectHost(string address)
    {
        string routerAddress = FirstHostOf(address);
        NetworkNamespace host = NewNamespace();
        Router.ConnectVeth($"r-leg{_routerLegs++}", routerAddress + "/24", host, WanInterface, address + "/24");
        host.Run("ip", "route", "add", "default", "via", routerAddress);
        return host;
    }

    /// <summary>A namespace behind the NAT namespace (created on first use): <paramref name="address"/> in 192.168.77.0/24.</summary>
    public NetworkNamespace AddHostBehindNat(string address)
    {
        NetworkNamespace nat = _nat ?? CreateNat();
        NetworkNamespace host = NewNamespace();
        string port = $"p{_natPorts++}";
        nat.Run("ip", "link", "add", port, "type", "veth", "peer", "name", WanInterface, "netns", host.Name);
        nat.Run("ip", "link", "set", port, "master", "br0", "up");
        host.Run("ip", "addr", "add", address + "/24", "dev", WanInterface);
        host.Run("ip", "link", "set", WanInterface, "up");
        host.Run("ip", "route", "add", "default", "via", NatInsideAddress);
        return host;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (NetworkNamespace ns in Enumerable.Reverse(_namespaces))
        {
            ns.Dispose();
        }
    }

    private NetworkNamespace CreateNat()
    {
        NetworkNamespace nat = NewNamespace();
        Router.ConnectVeth($"r-leg{_routerLegs++}", FirstHostOf(NatPublicAddress) + "/24", nat, WanInterface, NatPublicAddress + "/24");
        nat.Run("ip", "route", "add", "default", "via", FirstHostOf(NatPublicAddress));
        nat.Run("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        nat.Run("ip", "link", "add", "br0", "type", "bridge");
        nat.Run("ip", "addr", "add", NatInsideAddress + "/24", "dev", "br0");
        nat.Run("ip", "link", "set", "br0", "up");

        // Source NAT as a home router does it: everything from the inside leaves with the public address.
        nat.Run("nft", "add table ip dialup-nat");
        nat.Run("nft", "add chain ip dialup-nat postrouting { type nat hook postrouting priority 100 ; }");
        nat.Run("nft", $"add rule ip dialup-nat postrouting ip saddr {NatInsideSubnet} oifname \"{WanInterface}\" masquerade");
        _nat = nat;
        return nat;
    }

    private NetworkNamespace NewNamespace()
    {
        NetworkNamespace ns = NetworkNamespace.Create();
        _namespaces.Add(ns);
        return ns;
    }

    private static string FirstHostOf(string address) => address[..(address.LastIndexOf('.') + 1)] + "1";
}
