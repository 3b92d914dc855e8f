using SharpSwan.Testing;

namespace SharpSwan.Config.Tests;

/// <summary>Issue 16 item 7: <c>config user peer</c> / <c>user peergrp</c> and a phase 1's <c>peer</c> / <c>peergrp</c>.</summary>
public sealed class UserPeerTests
{
    private static string Config(string peers, string phase1Lines) => $$"""
        config user peer
        {{peers}}
        end
        config user peergrp
            edit "grp"
                set member "hq"
            next
        end
        config vpn ipsec phase1-interface
            edit "to-hq"
                set interface "wan1"
                set ike-version 2
                set remote-gw 198.51.100.5
        {{phase1Lines}}
                set proposal aes256-sha256
                set dhgrp 14
            next
        end
        """;

    private const string HqPeer = """
            edit "hq"
                set subject "CN=hq.example.net, O=Example"
                set cn "hq.example.net"
                set cn-type FQDN
            next
        """;

    [Fact]
    public void UserPeersAndGroups_AreRead_AndRoundTrip_WithPhase1PeerAndPeergrp()
    {
        var pki = new CertificateTables().Ca("lab-ca", DialUp.TestPki.OtherEc.Issued).Local("me", DialUp.TestPki.Ec.Issued).Render();
        var peers = HqPeer + "\n    edit \"second\"\n        set ca \"lab-ca\"\n    next";
        var text = pki + Config(peers, "        set authmethod signature\n        set peertype peer\n        set peer \"hq\"\n        set certificate \"me\"");
        var config = ConfigText.ParseValid(text);
        Assert.Equal(
            [("hq", null, "CN=hq.example.net, O=Example", "hq.example.net", "FQDN"), ("second", "lab-ca", null, null, "string")],
            config.UserPeers.Select(p => (p.Name, p.Ca, p.Subject, p.Cn, p.CnType)));
        Assert.Equal(["hq"], Assert.Single(config.UserPeerGroups).Members.AsEnumerable());
        Assert.Equal(("hq", PeerType.Peer), (config.Phase1[0].Peer, config.Phase1[0].PeerType));

        var written = ConfigurationWriter.Write(config, fullConfiguration: false);
        Assert.Contains("config user peer\n    edit \"hq\"\n        set subject \"CN=hq.example.net, O=Example\"\n        set cn \"hq.example.net\"\n        set cn-type FQDN\n", written, StringComparison.Ordinal);
        Assert.Contains("        set peer \"hq\"\n", written, StringComparison.Ordinal);
        Assert.Equal(config, ConfigText.ParseValid(written));

        // peertype peergrp is no longer refused: the group is checked in IKE_AUTH.
        var grouped = ConfigText.ParseValid(text.Replace("set peertype peer\n        set peer \"hq\"", "set peertype peergrp\n        set peergrp \"grp\"", StringComparison.Ordinal));
        Assert.Equal(("grp", PeerType.PeerGroup), (grouped.Phase1[0].PeerGroup, grouped.Phase1[0].PeerType));
    }

    [Theory]
    [InlineData("        set peertype peer\n        set peer \"nobody\"\n        set authmethod signature", "peer \"nobody\" is not a config user peer entry")]
    [InlineData("        set peertype any\n        set peer \"hq\"\n        set authmethod signature", "is only checked with peertype peer")]
    [InlineData("        set peertype peer\n        set peer \"hq\"\n        set psksecret \"a-long-secret\"", "this phase1 uses authmethod psk")]
    [InlineData("        set peertype peergrp\n        set authmethod signature", "uses peertype peergrp and needs the config user peergrp")]
    [InlineData("        set peertype peergrp\n        set peergrp \"grp\"\n        set psksecret \"a-long-secret\"", "uses authmethod psk, which SharpSwan cannot check")]
    [InlineData("        set peertype peergrp\n        set peergrp \"none\"\n        set authmethod signature", "peergrp \"none\" is not a config user peergrp entry")]
    public void Phase1References_ThatWouldBeIgnored_AreRefusedWithTheReason(string phase1Lines, string reason)
    {
        var result = ConfigurationLoader.Parse(Config(HqPeer, phase1Lines), "peers.conf");
        Assert.Contains(result.Errors, e => e.Reason.Contains(reason, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("set subject \"CN\"", "is not attribute=value")]
    [InlineData("set subject \"XYZ=1\"", "subject attribute 'XYZ' is not one of")]
    [InlineData("set cn \"not-an-address\"\n        set cn-type ipv4", "is not an address")]
    [InlineData("set ca \"Fortinet_CA\"", "is not a config vpn certificate ca entry")]
    [InlineData("set mandatory-ca-verify disable", "SharpSwan always verifies it")]
    [InlineData("set two-factor enable", "a second factor")]
    [InlineData("set ldap-server \"corp\"", "LDAP directory")]
    [InlineData("set passwd \"x\"", "a second factor or LDAP password")]
    public void UserPeerSettings_ThatCannotBeHonoured_AreRefused(string line, string reason)
    {
        var peers = $"    edit \"hq\"\n        {line}\n    next";
        var result = ConfigurationLoader.Parse(Config(peers, "        set peertype any\n        set psksecret \"a-long-secret\""), "peers.conf");
        Assert.Contains(result.Errors, e => e.Reason.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void PeerGroupMember_MustBeAUserPeer()
    {
        var result = ConfigurationLoader.Parse(Config("    edit \"other\"\n    next", "        set peertype any\n        set psksecret \"a-long-secret\""), "peers.conf");
        Assert.Contains(result.Errors, e => e.Reason == "member \"hq\" is not a config user peer entry");
    }
}
