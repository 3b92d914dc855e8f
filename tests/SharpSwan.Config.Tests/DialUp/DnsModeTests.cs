namespace SharpSwan.Config.Tests.DialUp;

/// <summary>
/// <c>dns-mode</c> on a mode-cfg phase 1: <c>manual</c> pushes <c>ipv4-dns-server1..3</c>, <c>auto</c> the host's own DNS
/// servers, so a server address set beside <c>auto</c> would never be sent and is refused at its line.
/// </summary>
public sealed class DnsModeTests
{
    [Theory]
    [InlineData("auto", DnsMode.Auto)]
    [InlineData("manual", DnsMode.Manual)]
    public void DnsMode_IsRead(string value, DnsMode expected)
    {
        var phase1 = Assert.Single(ConfigText.ParseValid(WithModeCfg($"set dns-mode {value}")).Phase1);
        Assert.Equal(expected, phase1.DnsMode);
    }

    [Fact]
    public void AutoWithAServerAddress_IsRefusedAtTheAddress()
    {
        var result = ConfigurationLoader.Parse(WithModeCfg("set dns-mode auto\n        set ipv4-dns-server2 10.1.0.53"), "d.conf");
        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal(10, error.Line);
        Assert.True(error.CrossField);
        Assert.Contains("dns-mode auto", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AutoWithTheServersAtTheirDefault_IsAccepted_AsFortiOsFullConfigurationPrintsThem()
    {
        var phase1 = Assert.Single(ConfigText.ParseValid(WithModeCfg("set dns-mode auto\n        set ipv4-dns-server1 0.0.0.0")).Phase1);
        Assert.Equal(DnsMode.Auto, phase1.DnsMode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Auto_IsWrittenAndReadBack(bool fullConfiguration)
    {
        var written = ConfigurationWriter.Write(ConfigText.ParseValid(WithModeCfg("set dns-mode auto")), fullConfiguration);
        Assert.Contains("set dns-mode auto\n", written, StringComparison.Ordinal);
        Assert.Equal(DnsMode.Auto, Assert.Single(ConfigText.ParseValid(written).Phase1).DnsMode);
    }

    // Lines: 1 config, 2 edit, 3 interface, 4 ike-version, 5 type, 6 psksecret, 7 mode-cfg, 8 assign-ip, 9.. the extra settings.
    private static string WithModeCfg(string extra) => $"""
        config vpn ipsec phase1-interface
            edit "dialup"
                set interface "eth0"
                set ike-version 2
                set type dynamic
                set psksecret "dns-mode-test-psk"
                set mode-cfg enable
                set assign-ip disable
                {extra}
            next
        end
        """;
}
