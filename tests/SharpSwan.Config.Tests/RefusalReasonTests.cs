namespace SharpSwan.Config.Tests;

/// <summary>Issue 16 item 8: refusals name the feature and the way forward (those the corpus tests do not already cover).</summary>
public sealed class RefusalReasonTests
{
    [Theory]
    [InlineData("vxlan")]
    [InlineData("gre")]
    public void OverlayEncapsulation_IsRefused_SayingToMakeTheDeviceOnTheHost(string encapsulation)
    {
        var text = ConfigText.MinimalPhase1.Replace("        set psksecret", $"        set encapsulation {encapsulation}\n        set psksecret", StringComparison.Ordinal);
        var error = Assert.Single(ConfigurationLoader.Parse(text, "r.conf").Errors);
        Assert.Equal(6, error.Line);
        Assert.Contains($"encapsulation {encapsulation} is unsupported by SharpSwan (GRE/VXLAN overlay encapsulation", error.Reason, StringComparison.Ordinal);
        Assert.Contains("make the gre or vxlan device on the host with ip link", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ABackupPhase1_MonitoringItsPrimary_IsRefused_SinceItWouldComeUpBesideIt()
    {
        var primary = ConfigText.MinimalPhase1.Replace("    next\nend", "    next\n    edit \"backup\"\n        set interface \"eth0\"\n        set ike-version 2\n        set remote-gw 192.0.2.2\n        set psksecret \"minimal-psk\"\n        set monitor \"p1\"\n    next\nend", StringComparison.Ordinal);
        var result = ConfigurationLoader.Parse(primary, "r.conf");
        var error = Assert.Single(result.Errors);
        Assert.Equal(13, error.Line);
        Assert.Equal("value parse error before 'p1'", error.Message);
        Assert.StartsWith("node_check_object fail! for monitor p1\n", error.Detail, StringComparison.Ordinal);

        // The empty value FortiOS's full configuration prints is what SharpSwan does: no backup.
        Assert.True(ConfigurationLoader.Parse(primary.Replace("set monitor \"p1\"", "set monitor \"\"", StringComparison.Ordinal), "r.conf").IsValid);
    }

    [Fact]
    public void AutoNegotiateOnADialUpPhase2_SaysToEnableItOnTheSpoke()
    {
        var result = ConfigurationLoader.Parse("""
            config vpn ipsec phase1-interface
                edit "dialup"
                    set type dynamic
                    set interface "eth0"
                    set ike-version 2
                    set psksecret "dialup-psk-secret"
                next
            end
            config vpn ipsec phase2-interface
                edit "dialup-p2"
                    set phase1name "dialup"
                    set auto-negotiate enable
                next
            end
            """, "r.conf");
        var error = Assert.Single(result.Errors);
        Assert.Equal(12, error.Line);
        Assert.Contains("enable it on the dial-up client (the spoke) instead", error.Reason, StringComparison.Ordinal);
    }
}
