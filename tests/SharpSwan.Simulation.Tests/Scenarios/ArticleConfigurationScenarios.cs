using SharpSwan.Config;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests.Scenarios;

/// <summary>The configuration sentences of the seed article (FortiGate KB 189536), read by the real configuration loader.</summary>
public sealed class ArticleConfigurationScenarios
{
    private const string Phase1Policy = """
        config vpn ipsec phase1
            edit "branch"
                set interface "port1"
                set ike-version 2
                set remote-gw 192.0.2.2
                set psksecret "simulation-only-psk"
            next
        end

        """;

    private const string Phase1Route = """
        config vpn ipsec phase1-interface
            edit "branch"
                set interface "port1"
                set ike-version 2
                set remote-gw 192.0.2.2
                set psksecret "simulation-only-psk"
            next
        end

        """;

    /// <summary>Article: "Auto-negotiation and keepalive are disabled by default on the FortiGate."</summary>
    [Theory]
    [InlineData("phase2")]
    [InlineData("phase2-interface")]
    public void Auto_negotiate_and_keepalive_are_disabled_by_default(string table)
    {
        var configuration = Load((table == "phase2" ? Phase1Policy : Phase1Route) + $$"""
            config vpn ipsec {{table}}
                edit "branch-p2"
                    set phase1name "branch"
                next
            end
            """);
        var phase2 = Assert.Single(configuration.Phase2);
        Assert.False(phase2.AutoNegotiate);
        Assert.False(phase2.Keepalive);
        Assert.Equal(0, phase2.TriggerQueue);
    }

    /// <summary>
    /// The article's two CLI examples ("To configure auto-negotiate: Policy-based IPsec VPN ... Route-based IPsec VPN ...")
    /// load, and the tunnel they configure comes up without traffic.
    /// </summary>
    [Theory]
    [InlineData("phase2", 43001)]
    [InlineData("phase2-interface", 43002)]
    public void The_articles_policy_based_and_route_based_examples_enable_both_and_bring_the_tunnel_up_without_traffic(string table, int seed)
    {
        var phase1 = table == "phase2" ? Phase1Policy : Phase1Route;
        var text = phase1 + $$"""
            config vpn ipsec {{table}}
                edit "branch-p2"
                    set phase1name "branch"
                    set auto-negotiate enable

                    set keepalive enable
                next
            end
            """;
        var phase2 = Assert.Single(Load(text).Phase2);
        Assert.True(phase2.AutoNegotiate);
        Assert.True(phase2.Keepalive);
        Assert.Equal(table == "phase2-interface", phase2.IsInterfaceMode);

        CheckedScenario.Run(seed, (simulation, _) =>
        {
            var a = simulation.AddGateway("A", text, Scenario.AddressA);
            var b = simulation.AddGateway("B", phase1.Replace("192.0.2.2", "192.0.2.1", StringComparison.Ordinal) + $$"""
                config vpn ipsec {{table}}
                    edit "branch-p2"
                        set phase1name "branch"
                    next
                end
                """, Scenario.AddressB);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Single(a.InstalledSas);
            Assert.Single(b.InstalledSas);
        });
    }

    private static GatewayConfiguration Load(string text)
    {
        var result = ConfigurationLoader.Parse(text, "article.conf");
        Assert.True(result.Configuration is not null, string.Join(Environment.NewLine, result.Errors));
        return result.Configuration;
    }
}
