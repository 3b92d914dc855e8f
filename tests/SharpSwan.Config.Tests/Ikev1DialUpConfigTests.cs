namespace SharpSwan.Config.Tests;

/// <summary>
/// IKEv1 dial-up servers (`type dynamic`): main mode accepted one per interface; aggressive mode accepted several per interface
/// told apart by peerid (one without peerid beside them), refused when two could not be told apart; `type ddns` still refused.
/// </summary>
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

    private const string Aggressive = "set mode aggressive\n                set dhgrp 14";

    private static string AggressiveFor(string peerId) => Aggressive + $"\n                set peertype one\n                set peerid \"{peerId}\"";

    [Fact]
    public void AnAggressiveModeDialUpPhase1WithXauthAndAPool_IsAccepted()
    {
        const string Users = """
            config user local
                edit "alice"
                    set type password
                    set passwd "alice-pw"
                next
            end
            config user group
                edit "vpn-users"
                    set member "alice"
                next
            end

            """;
        var text = Users + "config vpn ipsec phase1-interface\n" + DialUp("fct", Aggressive + """

                set xauthtype auto
                set authusrgrp "vpn-users"
                set mode-cfg enable
                set ipv4-start-ip 10.10.30.10
                set ipv4-end-ip 10.10.30.20
""") + "end\n";
        var phase1 = Assert.Single(ConfigText.ParseValid(text).Phase1);
        Assert.Equal((Ikev1Mode.Aggressive, Phase1Type.Dynamic, XauthType.Auto, true), (phase1.Mode, phase1.Type, phase1.XauthType, phase1.ModeCfg));
    }

    [Fact]
    public void AggressiveModeDialUpPhase1sWithDifferentPeerIds_AnOpenOne_AndAMainModeOne_ShareAnInterface()
    {
        var text = "config vpn ipsec phase1-interface\n" + DialUp("sales", AggressiveFor("sales.example")) + DialUp("eng", AggressiveFor("eng.example"))
            + DialUp("anyone", Aggressive) + DialUp("main") + "end\n";
        var phase1 = ConfigText.ParseValid(text).Phase1;
        Assert.Equal(["sales", "eng", "anyone", "main"], phase1.Select(p => p.Name));
        Assert.Equal("eng.example", phase1[1].PeerId);
    }

    [Fact]
    public void TwoAggressiveModeDialUpPhase1sWithTheSamePeerId_AreRefusedAtTheSecondsPeerid()
    {
        var error = ConfigText.SingleError("config vpn ipsec phase1-interface\n" + DialUp("sales", AggressiveFor("sales.example")) + DialUp("sales2", AggressiveFor("Sales.Example")) + "end\n");
        Assert.Equal(22, error.Line);
        Assert.Contains("peerid \"Sales.Example\"", error.Reason, StringComparison.Ordinal);
        Assert.Contains("would never be used", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoAggressiveModeDialUpPhase1sWithoutPeerId_AreRefused()
    {
        var error = ConfigText.SingleError("config vpn ipsec phase1-interface\n" + DialUp("a", Aggressive) + DialUp("b", Aggressive) + "end\n");
        Assert.Equal(12, error.Line);
        Assert.Contains("without a peerid", error.Reason, StringComparison.Ordinal);
    }
}
