using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Gateway.Policy;

namespace SharpSwan.Gateway.Tests.Policy;

public sealed class NftRuleMapTests
{
    [Fact]
    public void Each_rule_is_read_as_the_step_it_stands_for()
    {
        const string Json = """
            {"nftables": [{"metainfo": {"version": "1.0.6"}},
             {"rule": {"family": "ip", "table": "sharpswan", "chain": "prerouting", "handle": 21, "expr": [{"match": {"op": "in", "left": {"ct": {"key": "state"}}, "right": ["established", "related"]}}, {"accept": null}]}},
             {"rule": {"family": "ip", "table": "sharpswan", "chain": "prerouting", "handle": 22, "expr": [{"match": {"op": "==", "left": {"fib": {"result": "type", "flags": ["daddr"]}}, "right": "local"}}, {"accept": null}]}},
             {"rule": {"family": "ip", "table": "sharpswan", "chain": "prerouting", "handle": 25, "expr": [{"jump": {"target": "decide"}}]}},
             {"rule": {"family": "ip", "table": "sharpswan", "chain": "output", "handle": 26, "expr": [{"match": {"op": "==", "left": {"meta": {"key": "l4proto"}}, "right": "esp"}}, {"accept": null}]}},
             {"rule": {"family": "ip", "table": "sharpswan", "chain": "decide", "handle": 13, "expr": [{"counter": "policy_3"}, {"mangle": {"key": {"meta": {"key": "mark"}}, "value": 1397948417}}, {"accept": null}]}},
             {"rule": {"family": "ip", "table": "sharpswan", "chain": "decide", "handle": 14, "expr": [{"counter": "policy_1"}, {"mangle": {"key": {"ct": {"key": "label"}}, "value": 127}}, {"mangle": {"key": {"ct": {"key": "label"}}, "value": 0}}, {"accept": null}]}},
             {"rule": {"family": "ip", "table": "sharpswan", "chain": "decide", "handle": 15, "expr": [{"counter": "policy_0"}, {"drop": null}]}},
             {"rule": {"family": "ip", "table": "sharpswan", "chain": "from_tunnel", "handle": 16, "expr": [{"counter": "policy_3"}, {"accept": null}]}},
             {"rule": {"family": "ip", "table": "sharpswan", "chain": "decide", "handle": 17, "expr": [{"match": {"op": "==", "left": {"meta": {"key": "l4proto"}}, "right": "tcp"}}]}}]}
            """;
        var rules = NftRuleMap.Parse(Json);
        Assert.Equal(new FlowRule(FlowStepKind.ExistingSession), rules[21]);
        Assert.Equal(new FlowRule(FlowStepKind.LocalIn), rules[22]);
        Assert.Equal(new FlowRule(FlowStepKind.NewSession), rules[25]);
        Assert.Equal(new FlowRule(FlowStepKind.GatewayTraffic), rules[26]);
        Assert.Equal(new FlowRule(FlowStepKind.Allowed, 3, "encrypt"), rules[13]);
        Assert.Equal(new FlowRule(FlowStepKind.Allowed, 1), rules[14]); // the session's labels are no tunnel's mark
        Assert.Equal(new FlowRule(FlowStepKind.Denied, 0), rules[15]);
        Assert.Equal(new FlowRule(FlowStepKind.Allowed, 3, "decrypt"), rules[16]);
        Assert.Equal(new FlowRule(null), rules[17]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[1, 2]")]
    [InlineData("{\"nftables\": {\"rule\": 1}}")]
    [InlineData("{\"nftables\": [{\"rule\": {\"handle\": \"x\", \"chain\": \"decide\", \"expr\": []}}, 7, null]}")]
    public void Text_that_does_not_parse_gives_no_rules(string json) => Assert.Empty(NftRuleMap.Parse(json));
}
