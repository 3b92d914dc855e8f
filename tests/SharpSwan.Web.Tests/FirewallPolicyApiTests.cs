using System.Net;
using SharpSwan.Web.Tests.Support;

namespace SharpSwan.Web.Tests;

/// <summary>REST <c>/api/v2/cmdb/firewall/policy</c>, <c>/address</c> and <c>vpn.ipsec/phase1</c>: the policy-based example over the API.</summary>
public sealed class FirewallPolicyApiTests
{
    [Fact]
    public async Task PolicyBasedExample_IsCreatedThroughTheApi_AndReadBackFortiOsShaped()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();
        foreach (var (url, body) in new[]
        {
            ("/api/v2/cmdb/firewall/address", """{"name": "hq-lan", "subnet": "10.1.0.0 255.255.255.0"}"""),
            ("/api/v2/cmdb/firewall/address", """{"name": "branch-lan", "subnet": "10.2.0.0/24"}"""),
            ("/api/v2/cmdb/vpn.ipsec/phase1", """{"name": "policy-tunnel", "interface": "eth0", "ike-version": 2, "remote-gw": "198.51.100.7", "psksecret": "policy-psk-secret"}"""),
            ("/api/v2/cmdb/firewall/policy", """
                {"policyid": 0, "name": "hq to branch", "srcintf": [{"name": "lan"}], "dstintf": [{"name": "eth0"}],
                 "srcaddr": [{"name": "hq-lan"}], "dstaddr": [{"name": "branch-lan"}], "action": "ipsec", "schedule": "always",
                 "service": [{"name": "ALL"}], "inbound": "enable", "vpntunnel": "policy-tunnel"}
                """),
        })
        {
            using var created = await api.PostAsync(url, WebTestHost.Json(body));
            Assert.True(created.StatusCode == HttpStatusCode.OK, $"{url}: {await created.Content.ReadAsStringAsync()}");
        }

        var policy = Assert.Single(host.Applier.Current.FirewallPolicies);
        Assert.Equal("hq to branch", policy.Name);
        Assert.Equal("policy-tunnel", policy.VpnTunnel);
        Assert.True(policy.Inbound);

        var row = (await WebTestHost.JsonOf(await api.GetAsync($"/api/v2/cmdb/firewall/policy/{policy.Id}")))["results"]![0]!;
        Assert.Equal(policy.Id, (long?)row["policyid"]);
        Assert.Equal("hq-lan", (string?)row["srcaddr"]![0]!["name"]);
        Assert.Equal("ipsec", (string?)row["action"]);
    }

    [Fact]
    public async Task PolicyBasedPhase2_IsCreatedAndReadBackThroughVpnIpsecPhase2()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();
        foreach (var (url, body) in new[]
        {
            ("/api/v2/cmdb/vpn.ipsec/phase1", """{"name": "policy-tunnel", "interface": "eth0", "ike-version": 2, "remote-gw": "198.51.100.7", "psksecret": "policy-psk-secret"}"""),
            ("/api/v2/cmdb/vpn.ipsec/phase2", """{"name": "policy-p2", "phase1name": "policy-tunnel", "proposal": "aes256gcm", "src-subnet": "10.1.0.0 255.255.255.0", "dst-subnet": "10.2.0.0/24", "auto-negotiate": "enable"}"""),
        })
        {
            using var created = await api.PostAsync(url, WebTestHost.Json(body));
            Assert.True(created.StatusCode == HttpStatusCode.OK, $"{url}: {await created.Content.ReadAsStringAsync()}");
        }

        var phase2 = Assert.Single(host.Applier.Current.Phase2, p => p.Name == "policy-p2");
        Assert.Equal("policy-tunnel", phase2.Phase1Name);
        Assert.False(phase2.IsInterfaceMode);
        Assert.True(phase2.AutoNegotiate);
        var row = (await WebTestHost.JsonOf(await api.GetAsync("/api/v2/cmdb/vpn.ipsec/phase2/policy-p2")))["results"]![0]!;
        Assert.Equal("policy-tunnel", (string?)row["phase1name"]);

        // A policy-based phase 2 cannot hang under a route-based phase 1 (FortiOS keeps the two in separate tables).
        using var refused = await api.PostAsync("/api/v2/cmdb/vpn.ipsec/phase2", WebTestHost.Json("""{"name": "wrong", "phase1name": "to-branch"}"""));
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        Assert.DoesNotContain(host.Applier.Current.Phase2, p => p.Name == "wrong");
    }

    [Fact]
    public async Task AnInterfaceModeTunnelAsVpnTunnel_IsRefused()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();
        var tunnel = host.Applier.Current.Phase1.First(p => p.IsInterfaceMode).Name;
        using var refused = await api.PostAsync("/api/v2/cmdb/firewall/policy", WebTestHost.Json($$"""
            {"policyid": 5, "srcintf": "lan", "dstintf": "eth0", "srcaddr": "all", "dstaddr": "all", "action": "ipsec",
             "schedule": "always", "service": "ALL", "vpntunnel": "{{tunnel}}"}
            """));
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("phase1-interface (route-based)", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(host.Applier.Current.FirewallPolicies);
    }
}
