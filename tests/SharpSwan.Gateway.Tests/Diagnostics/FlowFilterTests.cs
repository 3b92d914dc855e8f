using SharpSwan.Esp.Core;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Gateway.Policy;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Tests.Diagnostics;

public sealed class FlowFilterTests
{
    private static FlowFilter Filter(params string[][] commands)
    {
        var filter = FlowFilter.None;
        foreach (var command in commands)
        {
            filter = FlowFilter.Apply(filter, command, out var error) ?? throw new InvalidOperationException(error);
        }

        return filter;
    }

    [Fact]
    public void The_filter_shows_each_condition_and_which_are_negated()
    {
        var filter = Filter(["addr", "10.1.0.5"], ["dport", "500", "4500"], ["proto", "17"], ["negate", "dport"]);
        Assert.Equal(
            "vf: any\nproto: 17\nHost addr: 10.1.0.5\nHost saddr: any\nHost daddr: any\nport: any\nsport: any\ndport: 500-4500 (negate)\n",
            filter.Render());
        Assert.Equal(FlowFilter.None, Filter(["addr", "10.1.0.5"], ["clear"]));
    }

    [Theory]
    [InlineData("addr 300.1.1.1", "300.1.1.1")]
    [InlineData("addr 10.0.0.9 10.0.0.1", "10.0.0.1")]
    [InlineData("port 70000", "70000")]
    [InlineData("sport 90 80", "80")]
    [InlineData("negate colour", "colour")]
    [InlineData("proto 256", "256")]
    [InlineData("vd 3", "3")]
    [InlineData("colour blue", "colour")]
    [InlineData("clear now", "now")]
    public void Bad_arguments_get_the_parse_error_and_leave_the_filter_as_it_was(string command, string pointedAt)
    {
        Assert.Null(FlowFilter.Apply(FlowFilter.None, command.Split(' '), out var error));
        Assert.Equal($"command parse error before '{pointedAt}'\nCommand fail. Return code -61\n", error);
    }

    [Fact]
    public void A_policy_filter_is_refused_with_the_reason()
    {
        Assert.Null(FlowFilter.Apply(FlowFilter.None, ["policy", "3"], out var error));
        Assert.StartsWith("policy id: not available as a flow filter: ", error, StringComparison.Ordinal);
        Assert.EndsWith("Command fail. Return code -1\n", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Either_side_conditions_become_alternative_rules_and_negated_ones_a_single_rule()
    {
        Assert.Equal([""], FlowFilter.None.NftMatches());
        Assert.Equal(["ip saddr 10.1.0.5", "ip daddr 10.1.0.5"], Filter(["addr", "10.1.0.5"]).NftMatches());
        Assert.Equal(4, Filter(["addr", "10.1.0.5"], ["port", "53"]).NftMatches().Count);
        Assert.Equal(["ip saddr != 10.1.0.5 ip daddr != 10.1.0.5"], Filter(["addr", "10.1.0.5"], ["negate", "addr"]).NftMatches());

        // Negated ports hold for packets without ports too (ICMP, ESP): not port 22 keeps the pings.
        var notSsh = Filter(["port", "22"], ["negate", "port"]).NftMatches();
        Assert.Equal(2, notSsh.Count);
        Assert.Contains(notSsh, m => m.StartsWith("meta l4proto != ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_packet_core_matches_packets_as_the_trace_rules_do()
    {
        var dns = new PacketFlow(0x0a010005, 0xc000024d, 17, 20000, 53, true);
        var ping = new PacketFlow(0x0a010005, 0xc000024d, 1, 0, 0, false);
        Assert.True(FlowFilter.None.Matches(dns));
        Assert.True(Filter(["addr", "192.0.2.77"]).Matches(dns.Reversed));
        Assert.False(Filter(["addr", "192.0.2.77"], ["negate", "addr"]).Matches(dns));
        Assert.True(Filter(["saddr", "10.1.0.0", "10.1.0.255"], ["proto", "17"]).Matches(dns));
        Assert.False(Filter(["daddr", "10.1.0.5"]).Matches(dns));
        Assert.True(Filter(["port", "53"]).Matches(dns.Reversed));
        Assert.False(Filter(["port", "53"]).Matches(ping));
        Assert.True(Filter(["port", "53"], ["negate", "port"]).Matches(ping)); // like the rules: no ports, not port 53
        Assert.False(Filter(["port", "53"], ["negate", "port"]).Matches(dns));
        Assert.False(Filter(["sport", "53"]).Matches(dns));
        Assert.True(Filter(["dport", "50", "60"]).Matches(dns));
        Assert.True(Filter(["proto", "17"], ["negate", "proto"]).Matches(ping));
    }

    [Fact]
    public void Every_filter_makes_a_trace_table_nftables_accepts()
    {
        Assert.True(ProcessPrivileges.IsRoot, "root is required: nft -c checks a ruleset against the kernel");
        FlowFilter[] filters =
        [
            FlowFilter.None,
            Filter(["saddr", "10.1.0.0", "10.1.0.255"], ["daddr", "10.2.0.9"], ["proto", "6"], ["sport", "1024", "65535"], ["dport", "443"]),
            Filter(["addr", "10.1.0.5"], ["port", "53"], ["negate", "port"], ["negate", "addr"], ["proto", "1"], ["negate", "proto"]),
            Filter(["saddr", "10.1.0.5"], ["negate", "saddr"], ["daddr", "10.2.0.9"], ["negate", "daddr"], ["sport", "5"], ["negate", "sport"], ["dport", "7"], ["negate", "dport"]),
        ];
        foreach (var filter in filters)
        {
            var table = NftRuleset.RenderTraceTable(filter.NftMatches());
            Assert.True(ExternalCommand.Run("nft", ["-c", "-f", "-"], table) is null, $"nft refused:\n{table}");
        }
    }
}
