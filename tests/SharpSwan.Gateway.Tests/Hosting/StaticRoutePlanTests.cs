using System.Net;
using SharpSwan.Config;
using SharpSwan.Gateway.Hosting;

namespace SharpSwan.Gateway.Tests.Hosting;

/// <summary>FortiOS's failover pair: one destination through two devices, the lower distance preferred.</summary>
public sealed class StaticRoutePlanTests
{
    [Fact]
    public void TwoRoutesToOneDestination_BothGetTheirDistanceAsMetric()
    {
        var wanted = StaticRoutePlan.Of(Load(primary: 10, backup: 20));

        Assert.Equal(
            [new KernelRoute(IPAddress.Parse("10.2.0.0"), 24, "lo", null, 10), new KernelRoute(IPAddress.Parse("10.2.0.0"), 24, "sit0", null, 20)],
            wanted);
        var (delete, add) = StaticRoutePlan.Diff([], wanted);
        Assert.Empty(delete);
        Assert.Equal(wanted, add);
    }

    [Fact]
    public void AChangedDistance_IsADeleteAndAnAdd_TheOtherRouteUntouched()
    {
        var installed = StaticRoutePlan.Of(Load(primary: 10, backup: 20));
        var (delete, add) = StaticRoutePlan.Diff(installed.ToList(), StaticRoutePlan.Of(Load(primary: 10, backup: 5)));

        Assert.Equal("sit0", Assert.Single(delete).Device);
        var added = Assert.Single(add);
        Assert.Equal(("sit0", 5), (added.Device, added.Metric));
    }

    [Fact]
    public void ADisabledRoute_IsDeleted_AndANextHopIsKept()
    {
        var installed = StaticRoutePlan.Of(Load(primary: 10, backup: 20));
        var next = StaticRoutePlan.Of(Load(primary: 10, backup: 20, backupExtra: "set status disable"));
        var (delete, add) = StaticRoutePlan.Diff(installed.ToList(), next);
        Assert.Equal("sit0", Assert.Single(delete).Device);
        Assert.Empty(add);

        var viaGateway = StaticRoutePlan.Of(Load(primary: 10, backup: 20, backupExtra: "set gateway 192.0.2.9"));
        Assert.Equal(IPAddress.Parse("192.0.2.9"), viaGateway[1].Gateway);
    }

    private static GatewayConfiguration Load(int primary, int backup, string backupExtra = "")
    {
        var result = ConfigurationLoader.Parse($$"""
            config router static
                edit 1
                    set dst 10.2.0.0 255.255.255.0
                    set device "lo"
                    set distance {{primary}}
                next
                edit 2
                    set dst 10.2.0.0 255.255.255.0
                    set device "sit0"
                    set distance {{backup}}
                    {{backupExtra}}
                next
            end
            """, "routes.conf");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Configuration!;
    }
}
