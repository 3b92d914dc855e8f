namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// Two namespaces joined by a veth: A (the SharpSwan side) and B (the strongSwan side), each with a LAN
/// address behind it. All addresses exist only inside these namespaces.
/// </summary>
public sealed class TwoSiteTopology : IDisposable
{
    /// <summary>The veth is called the same in both namespaces; phase 1 <c>set interface</c> names it.</summary>
    public const string WanInterface = "wan0";
    public const string WanAddressA = "198.51.100.1";
    public const string WanAddressB = "198.51.100.2";
    public const string LanAddressA = "10.1.0.1";
    public const string LanAddressB = "10.2.0.1";
    public const string LanSubnetA = "10.1.0.0/24";
    public const string LanSubnetB = "10.2.0.0/24";

    private TwoSiteTopology(NetworkNamespace a, NetworkNamespace b)
    {
        A = a;
        B = b;
    }

    public NetworkNamespace A { get; }

    public NetworkNamespace B { get; }

    public static TwoSiteTopology Create()
    {
        NetworkNamespace a = NetworkNamespace.Create();
        NetworkNamespace? b = null;
        try
        {
            b = NetworkNamespace.Create();
            a.ConnectVeth(WanInterface, WanAddressA + "/24", b, WanInterface, WanAddressB + "/24");
            a.AddLan("lan0", LanAddressA + "/24");

            // strongSwan's libipsec only installs its routes when it owns an address inside local_ts.
            b.AddLoopbackAddress(LanAddressB + "/32");
            return new TwoSiteTopology(a, b);
        }
        catch
        {
            b?.Dispose();
            a.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        B.Dispose();
        A.Dispose();
    }
}
