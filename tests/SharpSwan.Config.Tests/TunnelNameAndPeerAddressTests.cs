namespace SharpSwan.Config.Tests;

/// <summary>
/// Values <c>check</c> passed and the gateway could never act on: a phase1-interface name Linux refuses for the tunnel
/// interface (the gateway failed when creating the device), a static phase 1 whose remote-gw no peer can have, and a dial-up
/// phase 1 whose remote-gw would be ignored.
/// </summary>
public sealed class TunnelNameAndPeerAddressTests
{
    [Theory]
    [InlineData("my tunnel")]
    [InlineData("a/b")]
    [InlineData("a:b")]
    [InlineData("a%d")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("tünnel")]
    [InlineData("eth0")] // the phase 1 is bound to eth0: its tunnel interface cannot have that name too
    public void APhase1InterfaceNameThatCannotNameItsTunnelInterface_IsRefusedAtItsEdit(string name)
    {
        var text = ConfigText.MinimalPhase1.Replace("edit \"p1\"", $"edit \"{name}\"", StringComparison.Ordinal);
        var result = ConfigurationLoader.Parse(text, "n.conf");
        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal(2, error.Line);
        Assert.Equal($"value parse error before '{name}'", error.Message);
        Assert.StartsWith($"node_check_object fail! for name {name}\n", error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("to-branch")]
    [InlineData("vpn_hq.2")]
    [InlineData("-x")]
    public void APhase1InterfaceNameLinuxAccepts_IsAccepted(string name)
    {
        var text = ConfigText.MinimalPhase1.Replace("edit \"p1\"", $"edit \"{name}\"", StringComparison.Ordinal);
        Assert.Equal(name, Assert.Single(ConfigText.ParseValid(text).Phase1).Name);
    }

    [Fact]
    public void APolicyModePhase1_MayHaveAnyName_ItsDeviceIsNamedBySharpSwan()
    {
        var text = ConfigText.MinimalPhase1.Replace("phase1-interface", "phase1", StringComparison.Ordinal)
            .Replace("edit \"p1\"", "edit \"hq tunnel\"", StringComparison.Ordinal);
        Assert.Equal("hq tunnel", Assert.Single(ConfigText.ParseValid(text).Phase1).Name);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("224.0.0.5")]
    [InlineData("239.255.255.255")]
    public void AStaticPhase1_WithARemoteGatewayNoPeerCanHave_IsRefusedAtThatValue(string address)
    {
        var text = ConfigText.MinimalPhase1.Replace("192.0.2.1", address, StringComparison.Ordinal);
        var result = ConfigurationLoader.Parse(text, "g.conf");
        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal(5, error.Line);
        Assert.True(error.CrossField);
        Assert.Equal($"value parse error before '{address}'", error.Message);
        Assert.StartsWith($"node_check_object fail! for remote-gw {address}\n", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ADialUpPhase1_MayKeepRemoteGatewayZero_AsFortiOsFullConfigurationPrintsIt()
    {
        var text = ConfigText.MinimalPhase1.Replace("set remote-gw 192.0.2.1", "set type dynamic\n        set remote-gw 0.0.0.0", StringComparison.Ordinal);
        Assert.Equal(Phase1Type.Dynamic, Assert.Single(ConfigText.ParseValid(text).Phase1).Type);
    }

    [Fact]
    public void ADialUpPhase1_WithANonZeroRemoteGateway_IsRefusedAtThatValue_ItWouldAcceptAnyPeer()
    {
        var text = ConfigText.MinimalPhase1.Replace("set remote-gw 192.0.2.1", "set remote-gw 203.0.113.5\n        set type dynamic", StringComparison.Ordinal);
        var result = ConfigurationLoader.Parse(text, "d.conf");
        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal(5, error.Line);
        Assert.True(error.CrossField);
        Assert.Equal("value parse error before '203.0.113.5'", error.Message);
        Assert.StartsWith("node_check_object fail! for remote-gw 203.0.113.5\n", error.Detail, StringComparison.Ordinal);
        Assert.Contains("type dynamic", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ARemoteGatewayThatDoesNotParse_IsReportedOnce()
    {
        var text = ConfigText.MinimalPhase1.Replace("192.0.2.1", "0.0.0.256", StringComparison.Ordinal);
        var error = Assert.Single(ConfigurationLoader.Parse(text, "g.conf").Errors);
        Assert.Equal(5, error.Line);
        Assert.False(error.CrossField);
    }
}
