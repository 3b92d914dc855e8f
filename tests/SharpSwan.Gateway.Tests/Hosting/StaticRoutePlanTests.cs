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

    [Fact]
    public void EqualDistances_ThePriorityOrdersThem_InTheMetric_OtherDestinationsKeepTheDistance()
    {
        var wanted = StaticRoutePlan.Of(Parse("""
            config router static
                edit 1
                    set dst 10.2.0.0 255.255.255.0
                    set device "lo"
                    set priority 20
                next
                edit 2
                    set dst 10.2.0.0 255.255.255.0
                    set device "sit0"
                    set priority 5
                next
                edit 3
                    set dst 10.2.0.0 255.255.255.0
                    set device "lo"
                    set distance 9
                    set priority 100
                next
                edit 4
                    set dst 10.3.0.0 255.255.255.0
                    set device "lo"
                    set priority 7
                next
            end
            """));

        Assert.Equal(
            [(10 * StaticRoutePlan.DistanceWeight) + 20, (10 * StaticRoutePlan.DistanceWeight) + 5, (9 * StaticRoutePlan.DistanceWeight) + 100, 10],
            wanted.Select(r => r.Metric));

        // Lower distance first, then lower priority: route 3, then 2, then 1.
        Assert.Equal(["lo/9", "sit0/10", "lo/10"], wanted.Take(3).OrderBy(r => r.Metric).Select(r => $"{r.Device}/{r.Metric / StaticRoutePlan.DistanceWeight}"));
    }

    [Fact]
    public void Blackhole_GatewayOnly_AndDstaddr_BecomeTheKernelRoutesTheyStandFor()
    {
        var wanted = StaticRoutePlan.Of(Parse("""
            config firewall address
                edit "pair"
                    set type iprange
                    set start-ip 10.4.0.2
                    set end-ip 10.4.0.3
                    set allow-routing enable
                next
            end
            config router static
                edit 1
                    set dst 10.9.0.0 255.255.0.0
                    set blackhole enable
                    set distance 254
                next
                edit 2
                    set dst 10.5.0.0 255.255.0.0
                    set gateway 192.0.2.9
                next
                edit 3
                    set dstaddr "pair"
                    set device "lo"
                next
            end
            """));

        Assert.Equal(
            [
                new KernelRoute(IPAddress.Parse("10.9.0.0"), 16, "", null, 254, Blackhole: true),
                new KernelRoute(IPAddress.Parse("10.5.0.0"), 16, "", IPAddress.Parse("192.0.2.9"), 10),
                new KernelRoute(IPAddress.Parse("10.4.0.2"), 31, "lo", null, 10),
            ],
            wanted);
        Assert.Equal("blackhole 10.9.0.0/16 metric 254", wanted[0].ToString());
    }

    private static GatewayConfiguration Parse(string text)
    {
        var result = ConfigurationLoader.Parse(text, "routes.conf");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Configuration!;
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
