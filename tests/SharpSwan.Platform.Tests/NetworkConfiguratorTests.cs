using System.Net;
using System.Text.Json;

namespace SharpSwan.Platform.Tests;

public sealed class NetworkConfiguratorTests
{
    public NetworkConfiguratorTests() => RootRequirement.Ensure();

    [Fact]
    public void SetMtuAddAddressSetLinkUp_AreWhatIpAddrShowReports()
    {
        using TunDevice device = TunDevice.Create(TestNetwork.NewDeviceName());
        int subnet = TestNetwork.NewSubnet();

        NetworkConfigurator.SetMtu(device.Name, 1380);
        NetworkConfigurator.AddAddress(device.Name, TestNetwork.Address(subnet, 1), 24);
        NetworkConfigurator.SetLinkUp(device.Name);

        JsonElement link = IpTool.Json("addr", "show", "dev", device.Name)[0];
        Assert.Equal(1380, link.GetProperty("mtu").GetInt32());
        Assert.Contains("UP", link.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        JsonElement ipv4 = link.GetProperty("addr_info").EnumerateArray().Single(a => a.GetProperty("family").GetString() == "inet");
        Assert.Equal($"10.250.{subnet}.1", ipv4.GetProperty("local").GetString());
        Assert.Equal(24, ipv4.GetProperty("prefixlen").GetInt32());
    }

    [Fact]
    public void AddPeerAddress_IsAPointToPointAddress_WithTheConnectedRouteToThePeerPrefix()
    {
        using TunDevice device = TunDevice.Create(TestNetwork.NewDeviceName());
        int subnet = TestNetwork.NewSubnet();
        NetworkConfigurator.SetMtu(device.Name, 1436);
        NetworkConfigurator.AddPeerAddress(device.Name, TestNetwork.Address(subnet, 2), TestNetwork.Address(subnet, 1), 30);
        NetworkConfigurator.SetLinkUp(device.Name);

        JsonElement link = IpTool.Json("addr", "show", "dev", device.Name)[0];
        Assert.Equal(1436, link.GetProperty("mtu").GetInt32());
        JsonElement ipv4 = link.GetProperty("addr_info").EnumerateArray().Single(a => a.GetProperty("family").GetString() == "inet");
        Assert.Equal($"10.250.{subnet}.2", ipv4.GetProperty("local").GetString());
        Assert.Equal($"10.250.{subnet}.1", ipv4.GetProperty("address").GetString());
        Assert.Equal(30, ipv4.GetProperty("prefixlen").GetInt32());
        Assert.NotNull(IpTool.RouteTo(device.Name, $"10.250.{subnet}.0/30"));

        NetworkConfigurator.DeletePeerAddress(device.Name, TestNetwork.Address(subnet, 2), TestNetwork.Address(subnet, 1), 30);
        JsonElement after = IpTool.Json("addr", "show", "dev", device.Name)[0];
        Assert.DoesNotContain(after.GetProperty("addr_info").EnumerateArray(), a => a.GetProperty("family").GetString() == "inet");
    }

    [Fact]
    public void DeleteAddress_RemovesOnlyThatAddress_AndAMissingOneIsAnError()
    {
        using TunDevice device = TunDevice.Create(TestNetwork.NewDeviceName());
        int subnet = TestNetwork.NewSubnet();
        NetworkConfigurator.AddAddress(device.Name, TestNetwork.Address(subnet, 1), 32);
        NetworkConfigurator.AddAddress(device.Name, TestNetwork.Address(subnet, 2), 32);

        NetworkConfigurator.DeleteAddress(device.Name, TestNetwork.Address(subnet, 1), 32);

        JsonElement link = IpTool.Json("addr", "show", "dev", device.Name)[0];
        var left = link.GetProperty("addr_info").EnumerateArray().Where(a => a.GetProperty("family").GetString() == "inet").Select(a => a.GetProperty("local").GetString()).ToList();
        Assert.Equal([$"10.250.{subnet}.2"], left);
        var error = Assert.Throws<NetlinkException>(() => NetworkConfigurator.DeleteAddress(device.Name, TestNetwork.Address(subnet, 1), 32));
        Assert.Contains("delete address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetLinkUp_OnlyChangesTheUpFlag_DeviceStartsDown()
    {
        using TunDevice device = TunDevice.Create(TestNetwork.NewDeviceName());
        Assert.DoesNotContain("UP", Flags(device.Name));

        NetworkConfigurator.SetLinkUp(device.Name);

        Assert.Contains("UP", Flags(device.Name));
    }

    [Fact]
    public void AddAddress_TheSameAddressTwice_FailsWithMessageNamingOperationAndErrno()
    {
        using TunDevice device = TunDevice.Create(TestNetwork.NewDeviceName());
        int subnet = TestNetwork.NewSubnet();
        NetworkConfigurator.AddAddress(device.Name, TestNetwork.Address(subnet, 1), 24);

        var error = Assert.Throws<NetlinkException>(() => NetworkConfigurator.AddAddress(device.Name, TestNetwork.Address(subnet, 1), 24));

        Assert.StartsWith($"add address 10.250.{subnet}.1/24 dev {device.Name}: File exists", error.Message);
        Assert.Equal(17, error.ErrorNumber);
    }

    [Fact]
    public void SetMtu_OutsideTheDeviceRange_KernelErrorIsReported()
    {
        using TunDevice device = TunDevice.Create(TestNetwork.NewDeviceName());

        var error = Assert.Throws<NetlinkException>(() => NetworkConfigurator.SetMtu(device.Name, 20));

        Assert.StartsWith($"set mtu 20 dev {device.Name}: Invalid argument", error.Message);
    }

    [Fact]
    public void AddRoute_WithoutGateway_IsALinkScopeStaticRouteInTheMainTable()
    {
        (TunDevice device, _) = TestNetwork.CreateConfiguredTun();
        using (device)
        {
            int remote = TestNetwork.NewSubnet();

            NetworkConfigurator.AddRoute(TestNetwork.Address(remote, 0), 24, device.Name);

            JsonElement route = IpTool.RouteTo(device.Name, $"10.250.{remote}.0/24") ?? throw new Xunit.Sdk.XunitException("route missing");
            Assert.Equal("static", route.GetProperty("protocol").GetString());
            Assert.Equal("link", route.GetProperty("scope").GetString());
            Assert.False(route.TryGetProperty("gateway", out _));
        }
    }

    [Fact]
    public void AddRoute_WithGatewayAndMetric_ShowsBoth()
    {
        (TunDevice device, int subnet) = TestNetwork.CreateConfiguredTun();
        using (device)
        {
            int remote = TestNetwork.NewSubnet();

            NetworkConfigurator.AddRoute(TestNetwork.Address(remote, 0), 24, device.Name, TestNetwork.Address(subnet, 9), metric: 77);

            JsonElement route = IpTool.RouteTo(device.Name, $"10.250.{remote}.0/24") ?? throw new Xunit.Sdk.XunitException("route missing");
            Assert.Equal($"10.250.{subnet}.9", route.GetProperty("gateway").GetString());
            Assert.Equal(77, route.GetProperty("metric").GetInt32());
            Assert.Equal("static", route.GetProperty("protocol").GetString());
            Assert.False(route.TryGetProperty("scope", out _)); // universe scope is not printed
        }
    }

    [Fact]
    public void LookupRoute_GivesTheRoutesInterfaceAndGateway_AndNoGatewayOnTheLink()
    {
        (TunDevice device, int subnet) = TestNetwork.CreateConfiguredTun();
        using (device)
        {
            int remote = TestNetwork.NewSubnet();
            NetworkConfigurator.AddRoute(TestNetwork.Address(remote, 0), 24, device.Name, TestNetwork.Address(subnet, 9));
            var index = (uint)NetworkConfigurator.GetInterfaceIndex(device.Name);

            Assert.Equal((index, TestNetwork.Address(subnet, 9)), NetworkConfigurator.LookupRoute(TestNetwork.Address(remote, 7)));
            Assert.Equal((index, (IPAddress?)null), NetworkConfigurator.LookupRoute(TestNetwork.Address(subnet, 5)));
        }
    }

    [Fact]
    public void AddRoute_SameRouteTwice_ReplacesInsteadOfFailing()
    {
        (TunDevice device, int subnet) = TestNetwork.CreateConfiguredTun();
        using (device)
        {
            int remote = TestNetwork.NewSubnet();
            NetworkConfigurator.AddRoute(TestNetwork.Address(remote, 0), 24, device.Name);

            NetworkConfigurator.AddRoute(TestNetwork.Address(remote, 0), 24, device.Name, TestNetwork.Address(subnet, 5));

            JsonElement route = Assert.Single(IpTool.RoutesVia(device.Name), r => r.GetProperty("dst").GetString() == $"10.250.{remote}.0/24");
            Assert.Equal($"10.250.{subnet}.5", route.GetProperty("gateway").GetString());
        }
    }

    [Fact]
    public void AddRoute_HostBitsInDestination_AreCleared()
    {
        (TunDevice device, _) = TestNetwork.CreateConfiguredTun();
        using (device)
        {
            int remote = TestNetwork.NewSubnet();

            NetworkConfigurator.AddRoute(TestNetwork.Address(remote, 77), 25, device.Name);

            Assert.NotNull(IpTool.RouteTo(device.Name, $"10.250.{remote}.0/25"));
        }
    }

    [Fact]
    public void AddRoute_IPv6_IsInstalled()
    {
        using TunDevice device = TunDevice.Create(TestNetwork.NewDeviceName());
        NetworkConfigurator.SetLinkUp(device.Name);

        NetworkConfigurator.AddRoute(IPAddress.Parse("fd00:5353:250::"), 64, device.Name, metric: 300);

        JsonElement route = Assert.Single(IpTool.Routes6Via(device.Name), r => r.GetProperty("dst").GetString() == "fd00:5353:250::/64");
        Assert.Equal("static", route.GetProperty("protocol").GetString());
        Assert.Equal(300, route.GetProperty("metric").GetInt32());
    }

    [Fact]
    public void AddRoute_OnADeviceThatIsDown_KernelRefusalNamesTheRoute()
    {
        using TunDevice device = TunDevice.Create(TestNetwork.NewDeviceName());
        int remote = TestNetwork.NewSubnet();

        var error = Assert.Throws<NetlinkException>(() => NetworkConfigurator.AddRoute(TestNetwork.Address(remote, 0), 24, device.Name));

        Assert.StartsWith($"add route 10.250.{remote}.0/24 dev {device.Name}: Network is down", error.Message);
        Assert.Equal($"add route 10.250.{remote}.0/24 dev {device.Name}", error.Operation);
        Assert.Contains("not up", error.KernelDetail); // the kernel's extended ACK text is carried along
    }

    [Fact]
    public void AddRoute_UnknownInterface_MessageNamesTheRouteAndTheMissingDevice()
    {
        string missing = TestNetwork.NewDeviceName();

        var error = Assert.Throws<NetlinkException>(() => NetworkConfigurator.AddRoute(IPAddress.Parse("10.250.3.0"), 24, missing));

        Assert.Equal($"add route 10.250.3.0/24 dev {missing}: No such device", error.Message);
    }

    [Fact]
    public void DeleteRoute_RemovesOnlyThatRoute()
    {
        (TunDevice device, _) = TestNetwork.CreateConfiguredTun();
        using (device)
        {
            int kept = TestNetwork.NewSubnet();
            int removed = TestNetwork.NewSubnet();
            NetworkConfigurator.AddRoute(TestNetwork.Address(kept, 0), 24, device.Name);
            NetworkConfigurator.AddRoute(TestNetwork.Address(removed, 0), 24, device.Name, metric: 50);

            NetworkConfigurator.DeleteRoute(TestNetwork.Address(removed, 0), 24, device.Name);

            Assert.Null(IpTool.RouteTo(device.Name, $"10.250.{removed}.0/24"));
            Assert.NotNull(IpTool.RouteTo(device.Name, $"10.250.{kept}.0/24"));
        }
    }

    [Fact]
    public void DeleteRoute_ThatDoesNotExist_MessageNamesOperationAndErrno()
    {
        (TunDevice device, _) = TestNetwork.CreateConfiguredTun();
        using (device)
        {
            int remote = TestNetwork.NewSubnet();

            var error = Assert.Throws<NetlinkException>(() => NetworkConfigurator.DeleteRoute(TestNetwork.Address(remote, 0), 24, device.Name));

            Assert.StartsWith($"delete route 10.250.{remote}.0/24 dev {device.Name}: No such process", error.Message);
            Assert.Equal(3, error.ErrorNumber);
        }
    }

    [Fact]
    public void RoutesOnTheDevice_VanishWithIt()
    {
        (TunDevice device, _) = TestNetwork.CreateConfiguredTun();
        int remote = TestNetwork.NewSubnet();
        NetworkConfigurator.AddRoute(TestNetwork.Address(remote, 0), 24, device.Name);

        device.Dispose();

        JsonElement all = IpTool.Json("route", "show", "table", "main");
        Assert.DoesNotContain(all.EnumerateArray(), r => r.GetProperty("dst").GetString() == $"10.250.{remote}.0/24");
    }

    [Fact]
    public void GetInterfaceIndex_MatchesTheKernel()
    {
        using TunDevice device = TunDevice.Create(TestNetwork.NewDeviceName());

        Assert.Equal(device.InterfaceIndex, NetworkConfigurator.GetInterfaceIndex(device.Name));
        Assert.Equal(IpTool.Json("link", "show", "dev", "lo")[0].GetProperty("ifindex").GetInt32(), NetworkConfigurator.GetInterfaceIndex("lo"));
    }

    [Fact]
    public void GetInterfaceIndex_UnknownInterface_ThrowsNoSuchDevice()
    {
        string missing = TestNetwork.NewDeviceName();

        var error = Assert.Throws<NetlinkException>(() => NetworkConfigurator.GetInterfaceIndex(missing));

        Assert.Equal($"look up interface {missing}: No such device", error.Message);
    }

    [Fact]
    public void GetPrimaryIPv4_ReturnsTheAddressAdded_OrNull()
    {
        (TunDevice device, int subnet) = TestNetwork.CreateConfiguredTun();
        using (device)
        {
            using TunDevice bare = TunDevice.Create(TestNetwork.NewDeviceName());

            Assert.Equal(TestNetwork.Address(subnet, 1), NetworkConfigurator.GetPrimaryIPv4(device.Name));
            Assert.Null(NetworkConfigurator.GetPrimaryIPv4(bare.Name));
            Assert.Null(NetworkConfigurator.GetPrimaryIPv4(TestNetwork.NewDeviceName()));
        }
    }

    [Fact]
    public void DisableIPv6_WritesTheSysctl_AndIgnoresMissingInterfaces()
    {
        using TunDevice device = TunDevice.Create(TestNetwork.NewDeviceName());
        string sysctl = $"/proc/sys/net/ipv6/conf/{device.Name}/disable_ipv6";
        Assert.Equal("0", File.ReadAllText(sysctl).Trim());

        NetworkConfigurator.DisableIPv6(device.Name);
        NetworkConfigurator.DisableIPv6(TestNetwork.NewDeviceName());

        Assert.Equal("1", File.ReadAllText(sysctl).Trim());
    }

    [Theory]
    [InlineData("10.250.0.0", 33)]
    [InlineData("10.250.0.0", -1)]
    [InlineData("fd00::", 129)]
    public void AddRoute_PrefixLengthOutOfRange_ThrowsBeforeTalkingToTheKernel(string destination, int prefixLength)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NetworkConfigurator.AddRoute(IPAddress.Parse(destination), prefixLength, "lo"));
    }

    [Fact]
    public void AddRoute_GatewayOfAnotherFamily_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() =>
            NetworkConfigurator.AddRoute(IPAddress.Parse("10.250.0.0"), 24, "lo", IPAddress.Parse("fd00::1")));
    }

    private static List<string?> Flags(string device) =>
        [.. IpTool.Json("link", "show", "dev", device)[0].GetProperty("flags").EnumerateArray().Select(f => f.GetString())];
}
