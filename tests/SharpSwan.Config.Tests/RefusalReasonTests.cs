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
