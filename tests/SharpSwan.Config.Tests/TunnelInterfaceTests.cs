using System.Net;

namespace SharpSwan.Config.Tests;

/// <summary>
/// Issue 16 item 2: <c>config system interface</c> entries of <c>type tunnel</c> named after a phase1-interface become
/// the TUN device's address and MTU; everything else in the table stays kept with a warning.
/// </summary>
public sealed class TunnelInterfaceTests
{
    private const string Tunnel = """
        config vpn ipsec phase1-interface
            edit "to-aws"
                set interface "port1"
                set ike-version 2
                set remote-gw 198.51.100.7
                set proposal aes256-sha256
                set dhgrp 14
                set psksecret "a-long-enough-secret"
            next
        end
        config vpn ipsec phase2-interface
            edit "to-aws"
                set phase1name "to-aws"
                set proposal aes256-sha256
            next
        end

        """;

    private static ConfigurationResult Load(string interfaces) => ConfigurationLoader.Parse(Tunnel + interfaces, "t.conf");

    private static string Entry(params string[] settings) =>
        "config system interface\n    edit \"to-aws\"\n        set type tunnel\n"
        + string.Concat(settings.Select(s => $"        set {s}\n"))
        + "    next\nend\n";

    [Fact]
    public void TunnelEntry_GivesAddressPeerAndMtu_WithoutAKeptTableWarning()
    {
        var result = Load(Entry("vdom \"root\"", "ip 169.254.10.2 255.255.255.255", "allowaccess ping", "remote-ip 169.254.10.1 255.255.255.252", "mtu-override enable", "mtu 1427", "description \"AWS tunnel 1\"", "interface \"port1\""));

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var tunnel = Assert.Single(result.Configuration!.TunnelInterfaces);
        Assert.Equal("to-aws", tunnel.Name);
        Assert.Equal(IPAddress.Parse("169.254.10.2"), tunnel.Local);
        Assert.Equal(IPAddress.Parse("169.254.10.1"), tunnel.Remote);
        Assert.Equal(30, tunnel.PrefixLength);
        Assert.Equal(1427, tunnel.Mtu);
        Assert.Equal<string>(["ping"], tunnel.AllowAccess);
        Assert.Equal("AWS tunnel 1", tunnel.Description);
        Assert.Equal("169.254.10.2 peer 169.254.10.1/30", tunnel.AddressText);
        Assert.Empty(result.ConfigWarnings);
    }

    [Fact]
    public void CidrForm_AndNoRemoteIp_GiveTheIpsOwnPrefix()
    {
        var result = Load(Entry("ip 10.255.1.1/24", "allowaccess ping"));

        var tunnel = Assert.Single(result.Configuration!.TunnelInterfaces);
        Assert.Equal(IPAddress.Parse("10.255.1.1"), tunnel.Local);
        Assert.Null(tunnel.Remote);
        Assert.Equal(24, tunnel.PrefixLength);
        Assert.Null(tunnel.Mtu);
    }

    [Fact]
    public void SavedFile_WritesTheTableBackUnchanged_AndReloadsEqual()
    {
        var text = Entry("ip 169.254.10.2 255.255.255.255", "allowaccess ping", "remote-ip 169.254.10.1 255.255.255.252");
        var result = Load(text);

        var written = ConfigurationWriter.Write(result.Configuration!, fullConfiguration: false);

        Assert.Contains(text, written, StringComparison.Ordinal);
        var reloaded = ConfigurationLoader.Parse(written, "written.conf");
        Assert.Equal(result.Configuration, reloaded.Configuration);
        Assert.Single(reloaded.Configuration!.TunnelInterfaces);
    }

    [Theory]
    [InlineData("ip 169.254.10.300 255.255.255.255", "169.254.10.300")]
    [InlineData("ip 169.254.10.2 255.0.255.0", "255.0.255.0")]
    [InlineData("ip 169.254.10.2/33", "169.254.10.2/33")]
    [InlineData("mtu 100", "100")]
    [InlineData("mtu-override maybe", "maybe")]
    [InlineData("allowaccess ping pong", "pong")]
    public void MalformedValues_AreErrorsNamingLineAndValue(string setting, string value)
    {
        var result = Load(Entry("mtu-override enable", setting));

        var error = Assert.Single(result.Errors);
        Assert.Equal(21, error.Line);
        Assert.Equal($"value parse error before '{value}'", error.Message);
    }

    [Fact]
    public void RemoteIpWithoutIp_IsAnError()
    {
        var result = Load(Entry("remote-ip 169.254.10.1 255.255.255.252"));

        Assert.Contains(result.Errors, e => e.Message == "Attribute 'ip' MUST be set.");
    }

    [Fact]
    public void IpMaskWiderThanRemoteIpMask_IsAnError()
    {
        var result = Load(Entry("ip 169.254.10.2 255.255.255.0", "remote-ip 169.254.10.1 255.255.255.252"));

        Assert.Contains(result.Errors, e => e.Reason.Contains("route covers remote-ip's mask (/30)", StringComparison.Ordinal));
    }

    [Fact]
    public void MtuWithoutOverride_IsKeptWithAWarning_NotApplied()
    {
        var result = Load(Entry("ip 169.254.10.2 255.255.255.255", "allowaccess ping", "mtu 1300"));

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Null(Assert.Single(result.Configuration!.TunnelInterfaces).Mtu);
        Assert.Contains(result.ConfigWarnings, w => w.Kind == WarningKind.KeptSettings && w.Message.Contains("mtu 1300", StringComparison.Ordinal));
    }

    [Fact]
    public void TunnelEntryNamingNoPhase1_IsAWarning_AndNotApplied()
    {
        var result = Load("config system interface\n    edit \"gre1\"\n        set type tunnel\n        set ip 10.9.9.1 255.255.255.255\n    next\nend\n");

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Empty(result.Configuration!.TunnelInterfaces);
        Assert.Contains(result.ConfigWarnings, w => w.Kind == WarningKind.KeptSettings && w.Subject == "system interface gre1" && w.Line == 18);
        Assert.Contains(result.ConfigWarnings, w => w.Kind == WarningKind.KeptTable && w.Subject == "system interface");
    }

    [Fact]
    public void PhysicalEntries_KeepTheTableWarning_TheTunnelEntryIsStillTaken()
    {
        var result = Load("config system interface\n    edit \"port1\"\n        set ip 198.51.100.2 255.255.255.0\n        set type physical\n    next\n    edit \"to-aws\"\n        set type tunnel\n        set ip 169.254.10.2 255.255.255.255\n        set allowaccess ping\n    next\nend\n");

        Assert.Single(result.Configuration!.TunnelInterfaces);
        var warning = Assert.Single(result.ConfigWarnings);
        Assert.Equal(WarningKind.KeptTable, warning.Kind);
        Assert.Equal("system interface", warning.Subject);
    }

    [Fact]
    public void Allowaccess_KeepsTheServicesTheGatewayActsOn_AndWarnsOfFortiGatesOwn()
    {
        var result = Load(Entry("ip 169.254.10.2 255.255.255.255", "allowaccess https ssh fgfm ssh"));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal<string>(["https", "ssh"], Assert.Single(result.Configuration!.TunnelInterfaces).AllowAccess);
        var warning = Assert.Single(result.ConfigWarnings);
        Assert.Equal((WarningKind.KeptSettings, "system interface to-aws"), (warning.Kind, warning.Subject));
        Assert.Contains("fgfm", warning.Message, StringComparison.Ordinal);

        // No allowaccess: nothing is answered on the tunnel address, as on FortiOS, and nothing needs saying.
        var none = Load(Entry("ip 169.254.10.2 255.255.255.255"));
        Assert.Empty(Assert.Single(none.Configuration!.TunnelInterfaces).AllowAccess);
        Assert.Empty(none.ConfigWarnings);
    }

    [Fact]
    public void UnappliedSettings_AndAnotherParentInterface_AreWarned()
    {
        var result = Load(Entry("ip 169.254.10.2 255.255.255.255", "allowaccess ping", "role wan", "interface \"port9\""));

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Contains(result.ConfigWarnings, w => w.Kind == WarningKind.KeptSettings && w.Message.Contains("role kept as they are but not applied", StringComparison.Ordinal));
        Assert.Contains(result.ConfigWarnings, w => w.Message.Contains("interface port9 is kept but not applied", StringComparison.Ordinal));
    }
}
