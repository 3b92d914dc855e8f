namespace SharpSwan.Config.Tests;

/// <summary>
/// <c>inbound-dscp-copy</c> on phase 1 (enable/disable) and phase 2 (phase1/enable/disable): what the packet core does is
/// the phase 2's own value, or its phase 1's for <c>phase1</c> (the FortiOS default); written back as set.
/// </summary>
public sealed class InboundDscpCopyTests
{
    [Theory]
    [InlineData("disable", "phase1", false)]
    [InlineData("enable", "phase1", true)]
    [InlineData("enable", "disable", false)]
    [InlineData("disable", "enable", true)]
    public void Phase2_FollowsItsPhase1_UnlessItSaysOtherwise(string phase1, string phase2, bool copies)
    {
        var text = $"""
            config vpn ipsec phase1-interface
                edit "p1"
                    set interface "eth0"
                    set ike-version 2
                    set remote-gw 192.0.2.1
                    set psksecret "minimal-psk"
                    set inbound-dscp-copy {phase1}
                next
            end
            config vpn ipsec phase2-interface
                edit "p2"
                    set phase1name "p1"
                    set inbound-dscp-copy {phase2}
                next
            end
            """;
        var config = ConfigText.ParseValid(text);
        Assert.Equal(phase1 == "enable", config.Phase1[0].InboundDscpCopy);
        Assert.Equal(copies, config.Phase2[0].CopiesInboundDscp);

        var written = ConfigurationWriter.Write(config, fullConfiguration: true);
        Assert.Contains($"set inbound-dscp-copy {phase1}\n", written, StringComparison.Ordinal);
        Assert.Contains($"set inbound-dscp-copy {phase2}\n", written, StringComparison.Ordinal);
        Assert.Equal(config, ConfigText.ParseValid(written));
    }

    [Fact]
    public void Enabled_OnThePhase1_IsCopiedByItsPhase2s()
    {
        var config = ConfigText.ParseValid(ConfigText.MinimalPhase1.Replace("        set psksecret", "        set inbound-dscp-copy enable\n        set psksecret", StringComparison.Ordinal)
            + "\nconfig vpn ipsec phase2-interface\n    edit \"p2\"\n        set phase1name \"p1\"\n    next\n    edit \"p2-off\"\n        set phase1name \"p1\"\n        set inbound-dscp-copy disable\n    next\nend\n");
        Assert.Equal([true, false], config.Phase2.Select(p => p.CopiesInboundDscp));
    }
}
