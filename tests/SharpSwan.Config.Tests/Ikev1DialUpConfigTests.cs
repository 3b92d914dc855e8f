namespace SharpSwan.Config.Tests;

/// <summary>IKEv1 dial-up servers (`type dynamic`, main mode): accepted, one per interface, `type ddns` still refused.</summary>
public sealed class Ikev1DialUpConfigTests
{
    private static string DialUp(string name, string extra = "") => $$"""
            edit "{{name}}"
                set type dynamic
                set interface "eth0"
                set ike-version 1
                set proposal aes128-sha256
                set psksecret "dial-up-secret"
                {{extra}}
            next

        """;

    [Fact]
    public void OneIkeV1DialUpPhase1_IsAccepted()
    {
        var phase1 = Assert.Single(ConfigText.ParseValid("config vpn ipsec phase1-interface\n" + DialUp("rw") + "end\n").Phase1);
        Assert.Equal((1, Phase1Type.Dynamic), (phase1.IkeVersion, phase1.Type));
    }

    [Fact]
    public void ASecondIkeV1DialUpPhase1OnTheSameInterface_IsRefused_BecauseMainModeCannotTellThemApart()
    {
        var error = ConfigText.SingleError("config vpn ipsec phase1-interface\n" + DialUp("rw") + DialUp("rw2") + "end\n");
        Assert.Equal(11, error.Line);
        Assert.Contains("only one IKEv1 type dynamic phase1 per interface", error.Reason, StringComparison.Ordinal);
    }

    private static string StaticWithModeCfg(string mode) => $$"""
        config vpn ipsec phase1-interface
            edit "site"
                set interface "eth0"
                set ike-version 1
                set remote-gw 192.0.2.7
                set proposal aes128-sha256
                set psksecret "site-secret"
                set mode-cfg enable
                set mode {{mode}}
            next
        end

        """;

    [Fact]
    public void IkeV1StaticPhase1WithModeCfg_IsAModeConfigClient_AfterMainMode()
    {
        var result = ConfigurationLoader.Parse(StaticWithModeCfg("main"), "hq.conf");
        Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => e.Reason)));
        Assert.True(Assert.Single(result.Configuration!.Phase1).ModeCfg);
    }

    [Fact]
    public void IkeV1StaticPhase1WithModeCfg_IsRefusedAtItsValue_AfterAggressiveMode()
    {
        var result = ConfigurationLoader.Parse(StaticWithModeCfg("aggressive"), "hq.conf");
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Line == 8 && e.Reason.Contains("mode-config client after main mode only", StringComparison.Ordinal));
    }
}
