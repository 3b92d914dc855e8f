using System.Net;

namespace SharpSwan.Config.Tests;

/// <summary>Issue 16 item 5: blackhole routes, gateway-only routes, priority and dstaddr address objects.</summary>
public sealed class StaticRouteTests
{
    private const string Addresses = """
        config firewall address
            edit "dc-range"
                set type iprange
                set start-ip 10.9.0.1
                set end-ip 10.9.0.6
                set allow-routing enable
            next
            edit "dc-net"
                set subnet 10.8.0.0 255.255.0.0
                set allow-routing enable
            next
            edit "plain"
                set subnet 10.7.0.0 255.255.0.0
            next
        end
        config firewall addrgrp
            edit "dc-all"
                set member "dc-net" "dc-range"
                set allow-routing enable
            next
        end

        """;

    [Fact]
    public void BlackholeRoute_Loads_AndRoundTrips_AFullDumpsEmptyDeviceAndGatewayAccepted()
    {
        var config = ConfigText.ParseValid(Routes("set dst 10.66.0.0 255.255.0.0\n set blackhole enable\n set device \"\"\n set gateway 0.0.0.0\n set distance 254"));
        var route = Assert.Single(config.StaticRoutes);
        Assert.True(route.Blackhole);
        Assert.Equal(254, route.Distance);

        var written = ConfigurationWriter.Write(config, fullConfiguration: false);
        Assert.Contains("set blackhole enable", written, StringComparison.Ordinal);
        Assert.Equal(config, ConfigText.ParseValid(written));
    }

    [Theory]
    [InlineData("set device \"port1\"", "device")]
    [InlineData("set gateway 192.0.2.1", "gateway")]
    public void BlackholeRoute_WithADeviceOrGateway_IsRefused(string setting, string field)
    {
        var result = ConfigurationLoader.Parse(Routes($"set dst 10.66.0.0/16\n set blackhole enable\n {setting}"), "r.conf");
        var error = Assert.Single(result.Errors);
        Assert.Equal(5, error.Line);
        Assert.Contains($"blackhole enable, which drops the traffic: it takes no {field}", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void GatewayOnlyRoute_Loads_WithoutADevice()
    {
        var route = Assert.Single(ConfigText.ParseValid(Routes("set dst 10.5.0.0/16\n set gateway 192.0.2.9")).StaticRoutes);
        Assert.Equal("", route.Device);
        Assert.Equal(IPAddress.Parse("192.0.2.9"), route.Gateway);
    }

    [Fact]
    public void Priority_IsReadAndWritten_AndOneTooLargeForTheKernelMetricIsRefusedWithWhy()
    {
        var config = ConfigText.ParseValid(Routes("set dst 10.5.0.0/16\n set device \"port1\"\n set priority 20"));
        Assert.Equal(20, Assert.Single(config.StaticRoutes).Priority);
        Assert.Contains("set priority 20", ConfigurationWriter.Write(config, fullConfiguration: false), StringComparison.Ordinal);

        var result = ConfigurationLoader.Parse(Routes("set dst 10.5.0.0/16\n set device \"port1\"\n set priority 8388608"), "r.conf");
        var error = Assert.Single(result.Errors);
        Assert.Contains("distance × 2^23 + priority", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void EqualDistanceAndPriority_ToOneDestination_IsWarnedAsEcmpNotDone_ADifferentPriorityIsNot()
    {
        var twoDevices = "config router static\n edit 1\n set dst 10.5.0.0/16\n set device \"a\"\n next\n edit 2\n set dst 10.5.0.0/16\n set device \"b\"\n";
        var result = ConfigurationLoader.Parse(twoDevices + " next\nend\n", "r.conf");
        Assert.True(result.IsValid);
        var warning = Assert.Single(result.ConfigWarnings);
        Assert.Equal((6, WarningKind.KeptSettings), (warning.Line, warning.Kind));
        Assert.Contains("static routes 1 and 2 both reach 10.5.0.0/16 with distance 10 and priority 1", warning.Message, StringComparison.Ordinal);
        Assert.Contains("(ECMP), SharpSwan installs only one of them", warning.Message, StringComparison.Ordinal);

        Assert.Empty(ConfigurationLoader.Parse(twoDevices + " set priority 5\n next\nend\n", "r.conf").ConfigWarnings);
    }

    [Fact]
    public void Dstaddr_OfAnIpRangeASubnetAndAGroup_ResolvesToCidrBlocks()
    {
        var config = ConfigText.ParseValid(Addresses + Routes(
            "set dstaddr \"dc-range\"\n set device \"port1\"\n next\n edit 2\n set dstaddr \"dc-all\"\n set device \"port2\""));
        Assert.Equal(
            ["10.9.0.1-10.9.0.1", "10.9.0.2-10.9.0.3", "10.9.0.4-10.9.0.5", "10.9.0.6-10.9.0.6"],
            config.StaticRoutes[0].DestinationBlocks.Select(b => b.ToString()));
        Assert.Equal(
            ["10.8.0.0-10.8.255.255", "10.9.0.1-10.9.0.1", "10.9.0.2-10.9.0.3", "10.9.0.4-10.9.0.5", "10.9.0.6-10.9.0.6"],
            config.StaticRoutes[1].DestinationBlocks.Select(b => b.ToString()));

        var written = ConfigurationWriter.Write(config, fullConfiguration: false);
        Assert.Contains("set dstaddr \"dc-range\"", written, StringComparison.Ordinal);
        Assert.Equal(config, ConfigText.ParseValid(written));
    }

    [Theory]
    [InlineData("\"plain\"", "does not have allow-routing enable")]
    [InlineData("\"nowhere\"", "is not a config firewall address or addrgrp entry")]
    public void Dstaddr_WithoutAllowRoutingOrUnknown_IsRefused(string name, string reason)
    {
        var result = ConfigurationLoader.Parse(Addresses + Routes($"set dstaddr {name}\n set device \"port1\""), "r.conf");
        var error = Assert.Single(result.Errors);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Dstaddr_BesideDst_IsRefused_AndAnFqdnAddressIsRefusedWithWhy()
    {
        var both = ConfigurationLoader.Parse(Addresses + Routes("set dst 10.5.0.0/16\n set dstaddr \"dc-net\"\n set device \"port1\""), "r.conf");
        Assert.Contains("sets both dst and dstaddr", Assert.Single(both.Errors).Reason, StringComparison.Ordinal);

        var fqdn = ConfigurationLoader.Parse(
            "config firewall address\n edit \"web\"\n set type fqdn\n set allow-routing enable\n next\nend\n" + Routes("set dstaddr \"web\"\n set device \"port1\""),
            "r.conf");
        Assert.Contains(fqdn.Errors, e => e.Line == 3 && e.Reason.Contains("an fqdn address needs DNS resolution", StringComparison.Ordinal));
    }

    [Fact]
    public void Blocks_CoverARangeExactly_WithTheFewestPrefixes()
    {
        Assert.Equal(["0.0.0.0-255.255.255.255"], AddressSelector.Any.Blocks().Select(b => b.ToString()));
        Assert.Equal(
            ["10.0.0.255-10.0.0.255", "10.0.1.0-10.0.1.255", "10.0.2.0-10.0.2.0"],
            new AddressSelector(IPAddress.Parse("10.0.0.255"), IPAddress.Parse("10.0.2.0")).Blocks().Select(b => b.ToString()));
        Assert.Equal(["255.255.255.255-255.255.255.255"], AddressSelector.Single(IPAddress.Broadcast).Blocks().Select(b => b.ToString()));
        Assert.Empty(new AddressSelector(IPAddress.Parse("10.0.0.2"), IPAddress.Parse("10.0.0.1")).Blocks());
    }

    /// <summary>A <c>router static</c> table with entry 1 holding <paramref name="settings"/> (one per line); entry 1 is line 2.</summary>
    private static string Routes(string settings) => $"config router static\n edit 1\n {settings}\n next\nend\n";
}
