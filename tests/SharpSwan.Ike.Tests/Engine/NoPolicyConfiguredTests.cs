using SharpSwan.Config;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Wire;
using SharpSwan.Testing;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>
/// FortiOS does not negotiate an IPsec SA for a tunnel no firewall policy refers to ("ignoring request to establish
/// IPsec SA, no policy configured"); without a policy table every tunnel is negotiated as before.
/// </summary>
public sealed class NoPolicyConfiguredTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    private static string PolicyTable(string dstintf) => $$"""

        config firewall policy
            edit 1
                set srcintf "lan"
                set dstintf "{{dstintf}}"
                set srcaddr "all"
                set dstaddr "all"
                set action accept
                set schedule "always"
                set service "ALL"
            next
        end
        """;

    private static (EngineNetwork Network, EngineNetwork.Node A, EngineNetwork.Node B) Link(string policiesA, string policiesB)
    {
        var network = new EngineNetwork();
        var a = network.Add("A", "192.0.2.1", EngineNetwork.SiteToSite("to-b", "to-b-p2", "192.0.2.1", "198.51.100.2", "10.1.0.0", "10.2.0.0") + policiesA);
        var b = network.Add("B", "198.51.100.2", EngineNetwork.SiteToSite("to-a", "to-a-p2", "198.51.100.2", "192.0.2.1", "10.2.0.0", "10.1.0.0") + policiesB);
        return (network, a, b);
    }

    [Fact]
    public void AnInitiatorWhosePolicyTableIgnoresTheTunnel_SendsNothing()
    {
        var (network, a, b) = Link(PolicyTable("eth1"), "");
        using var _ = network;
        a.Engine.Initiate("to-b", "to-b-p2");
        network.Run(Settle);
        Assert.Empty(a.Of<IkeSaEstablished>());
        Assert.Empty(b.Of<IkeSaEstablished>());
    }

    [Fact]
    public void AResponderWhosePolicyTableIgnoresTheTunnel_RefusesTheChildSa()
    {
        var (network, a, b) = Link("", PolicyTable("eth1"));
        using var _ = network;
        a.Engine.Initiate("to-b", "to-b-p2");
        network.Run(Settle);
        Assert.Empty(a.Of<ChildSaInstalled>());
        Assert.Empty(b.Of<ChildSaInstalled>());
        Assert.Contains(b.Of<NegotiationFailed>(), f => f.Notify == NotifyType.TsUnacceptable && f.Stage == NegotiationStage.ChildSa);
    }

    [Fact]
    public void APolicyNamingTheTunnel_LetsItComeUp_AndRemovingItDeletesTheSas()
    {
        var (network, a, b) = Link(PolicyTable("to-b"), PolicyTable("to-a"));
        using var _ = network;
        a.Engine.Initiate("to-b", "to-b-p2");
        network.Run(Settle);
        var installed = Assert.Single(b.Of<ChildSaInstalled>());

        var withoutPolicy = ConfigurationLoader.Parse(
            EngineNetwork.SiteToSite("to-a", "to-a-p2", "198.51.100.2", "192.0.2.1", "10.2.0.0", "10.1.0.0") + PolicyTable("eth1"), "b2.conf");
        Assert.True(withoutPolicy.IsValid);
        Assert.Contains("to-a", b.Engine.ApplyConfiguration(withoutPolicy.Configuration!));
        network.Run(Settle);
        Assert.Contains(b.Of<ChildSaDeleted>(), d => d.InboundSpi == installed.InboundSpi);
        Assert.Single(b.Of<ChildSaInstalled>());
    }
}
