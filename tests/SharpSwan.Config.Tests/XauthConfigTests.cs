namespace SharpSwan.Config.Tests;

/// <summary>
/// Issue 13, IKEv1 remote access: <c>xauthtype pap|chap|auto</c> with <c>authusrgrp</c> and a mode-cfg pool on an IKEv1 dial-up
/// phase 1 is accepted and reaches the model, as is <c>xauthtype client</c> with <c>authusr</c>/<c>authpasswd</c> on a static
/// one; the group must exist, and what is not implemented or would be ignored (a server on a static or IKEv2 phase 1,
/// a client on a dial-up one, a group or user without the matching xauthtype) is refused at its line.
/// </summary>
public sealed class XauthConfigTests
{
    private const string Users = """
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

    /// <summary>Users (lines 1-11) then a phase 1 whose <paramref name="settings"/> start at line 14.</summary>
    private static string Config(string settings, string type = "set type dynamic", string version = "1") => Users + $$"""
        config vpn ipsec phase1-interface
            edit "rw"
                {{settings}}
                {{type}}
                set interface "eth0"
                set ike-version {{version}}
                set proposal aes128-sha256
                set psksecret "dial-up-secret"
            next
        end

        """;

    [Theory]
    [InlineData("pap", XauthType.Pap)]
    [InlineData("chap", XauthType.Chap)]
    [InlineData("auto", XauthType.Auto)]
    public void XauthServerWithGroupAndPool_IsAccepted(string keyword, XauthType expected)
    {
        var text = Config($"set xauthtype {keyword}\n        set authusrgrp \"vpn-users\"\n        set mode-cfg enable\n        set ipv4-start-ip 10.10.30.10\n        set ipv4-end-ip 10.10.30.20");
        var phase1 = Assert.Single(ConfigText.ParseValid(text).Phase1);
        Assert.Equal((expected, "vpn-users", true), (phase1.XauthType, phase1.AuthUserGroup, phase1.ModeCfg));
        Assert.True(phase1.IsXauthServer);
    }

    [Fact]
    public void XauthSettings_SurviveAWriteAndReread()
    {
        var configuration = ConfigText.ParseValid(Config("set xauthtype auto\n        set authusrgrp \"vpn-users\""));
        var reread = ConfigText.ParseValid(ConfigurationWriter.Write(configuration, fullConfiguration: true));
        Assert.Equal(configuration.Phase1[0], reread.Phase1[0]);
    }

    [Fact]
    public void AuthusrgrpNamingAMissingGroup_IsRefusedAtItsLine()
    {
        var error = ConfigText.SingleError(Config("set xauthtype pap\n        set authusrgrp \"nobody\""));
        Assert.Equal(15, error.Line);
        Assert.Contains("\"nobody\"", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void XauthServerWithoutAGroup_IsRefused()
    {
        var error = ConfigText.SingleError(Config("set xauthtype auto"));
        Assert.Contains("set authusrgrp", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("set xauthtype auto\n        set authusrgrp \"vpn-users\"", "set type dynamic")]
    [InlineData("set xauthtype client\n        set authusr \"alice\"\n        set authpasswd \"pw\"", "set type static\n        set remote-gw 192.0.2.1")]
    public void XauthWithCertificateAuthentication_IsRefusedAtItsLine(string xauth, string type)
    {
        var text = Config(xauth + "\n        set authmethod signature\n        set certificate \"gw\"", type);
        var errors = ConfigurationLoader.Parse(text, "test.conf").Errors;
        var error = Assert.Single(errors, e => e.Reason.Contains("XAUTHInitPreShared", StringComparison.Ordinal));
        Assert.Equal(14, error.Line);
    }

    [Fact]
    public void XauthClientOnAStaticPhase1_IsAccepted_WithItsUserAndPassword()
    {
        var text = Config("set xauthtype client\n        set authusr \"alice\"\n        set authpasswd \"alice-pw\"", type: "set remote-gw 192.0.2.7");
        var phase1 = Assert.Single(ConfigText.ParseValid(text).Phase1);
        Assert.Equal((XauthType.Client, "alice"), (phase1.XauthType, phase1.AuthUser));
        Assert.Equal("alice-pw"u8.ToArray(), phase1.AuthPassword!.GetBytes());
        Assert.False(phase1.IsXauthServer);
        var reread = ConfigText.ParseValid(ConfigurationWriter.Write(ConfigText.ParseValid(text), fullConfiguration: true));
        Assert.Equal(phase1, reread.Phase1[0]);
    }

    [Fact]
    public void XauthClientOnADialUpPhase1_IsRefused()
    {
        var error = ConfigText.SingleError(Config("set xauthtype client\n        set authusr \"alice\"\n        set authpasswd \"alice-pw\""));
        Assert.Equal(14, error.Line);
        Assert.Contains("never dials", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void XauthClientWithoutUserOrPassword_IsRefused()
    {
        var result = ConfigurationLoader.Parse(Config("set xauthtype client", type: "set remote-gw 192.0.2.7"), "hq.conf");
        Assert.Contains(result.Errors, e => e.Reason.Contains("set authusr)", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Reason.Contains("set authpasswd)", StringComparison.Ordinal));
    }

    [Fact]
    public void AuthusrWithoutXauthClient_IsRefusedAsIgnored()
    {
        var error = ConfigText.SingleError(Config("set authusr \"alice\"", type: "set remote-gw 192.0.2.7"));
        Assert.Equal(14, error.Line);
        Assert.Contains("it would be ignored", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void XauthServerOnAStaticPhase1_IsRefused()
    {
        var error = ConfigText.SingleError(Config("set xauthtype pap\n        set authusrgrp \"vpn-users\"", type: "set remote-gw 192.0.2.7"));
        Assert.Equal(14, error.Line);
        Assert.Contains("dial-up phase1 only", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void XauthWithIkeVersion2_IsRefused()
    {
        var result = ConfigurationLoader.Parse(Config("set xauthtype pap\n        set authusrgrp \"vpn-users\"", version: "2"), "hq.conf");
        Assert.Contains(result.Errors, e => e.Line == 14 && e.Reason.Contains("XAUTH is an IKEv1 exchange", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Line == 15 && e.Reason.Contains("authusrgrp", StringComparison.Ordinal));
    }

    [Fact]
    public void AuthusrgrpWithoutXauth_IsRefusedAsIgnored()
    {
        var error = ConfigText.SingleError(Config("set authusrgrp \"vpn-users\""));
        Assert.Equal(14, error.Line);
        Assert.Contains("read only by the XAUTH server", error.Reason, StringComparison.Ordinal);
    }
}
