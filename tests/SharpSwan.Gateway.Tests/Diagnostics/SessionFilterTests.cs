using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Tests.Diagnostics;

public sealed class SessionFilterTests
{
    private static readonly ConnectionEntry Dns = new(17, 0x0a010005, 0xc000024d, 20000, 53, true, []);
    private static readonly ConnectionEntry Ping = new(1, 0x0a010005, 0xc000024d, 0, 0, false, []);

    private static SessionFilter Filter(params string[][] commands)
    {
        var filter = SessionFilter.None;
        foreach (var command in commands)
        {
            filter = SessionFilter.Apply(filter, command, out var error) ?? throw new InvalidOperationException(error);
        }

        return filter;
    }

    [Fact]
    public void Conditions_accumulate_and_all_must_hold()
    {
        var filter = Filter(["src", "10.1.0.0", "10.1.0.255"], ["dport", "50", "60"]);
        Assert.True(filter.Matches(Dns));
        Assert.False(filter.Matches(Ping)); // no ports: a port condition does not hold
        Assert.False(Filter(["dst", "192.0.2.78-192.0.2.90"]).Matches(Dns));
        Assert.True(Filter(["proto", "1"]).Matches(Ping));
        Assert.False(Filter(["proto", "1"]).Matches(Dns));
        Assert.True(SessionFilter.None.IsEmpty);
        Assert.True(SessionFilter.None.Matches(Dns));
    }

    [Fact]
    public void Negate_inverts_one_condition_and_clear_removes_everything()
    {
        var filter = Filter(["dport", "53"], ["negate", "dport"]);
        Assert.False(filter.Matches(Dns));
        Assert.True(filter.Matches(Ping));
        Assert.Contains("        dest port: 53-53 (negate)\n", filter.Render(), StringComparison.Ordinal);
        Assert.True(Filter(["dport", "53"], ["clear"]).IsEmpty);
    }

    [Fact]
    public void Render_shows_every_condition_with_any_for_the_unset_ones()
    {
        Assert.Equal(
            "session filter:\n        vd: any\n        proto: 17\n        proto-state: any\n        source ip: 10.1.0.5-10.1.0.5\n        NAT'd source ip: any\n        dest ip: any\n        source port: any\n        NAT'd source port: any\n        dest port: any\n        policy id: any\n        expire: any\n",
            Filter(["proto", "17"], ["src", "10.1.0.5"]).Render());
    }

    [Theory]
    [InlineData("dport", "70000")]
    [InlineData("dport", "90", "80")]
    [InlineData("src", "10.1.0.300")]
    [InlineData("proto", "tcp")]
    [InlineData("negate", "service")]
    [InlineData("policy", "2147483648")]
    [InlineData("policy", "5", "3")]
    [InlineData("proto-state", "256")]
    [InlineData("expire", "9", "3")]
    [InlineData("vd-name", "vdom1")]
    [InlineData("vd", "3")]
    [InlineData("clear", "now")]
    [InlineData("sport")]
    public void Bad_values_are_refused_with_the_word_that_is_wrong(params string[] command)
    {
        Assert.Null(SessionFilter.Apply(SessionFilter.None, command, out var error));
        Assert.StartsWith("command parse error before '", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Nat_state_and_expiry_conditions_match_what_the_list_shows_and_unrecorded_ones_are_refused_with_the_reason()
    {
        var masqueraded = Dns with { ReplySource = 0xc000024d, ReplyDestination = 0xc6336401, ReplySourcePort = 53, ReplyDestinationPort = 61000, SeenReply = true, ExpiresInSeconds = 170 };
        var plain = Dns with { ReplySource = 0xc000024d, ReplyDestination = 0x0a010005, ReplySourcePort = 53, ReplyDestinationPort = 20000, ExpiresInSeconds = 20 };
        Assert.True(Filter(["nsrc", "198.51.100.1"]).Matches(masqueraded));
        Assert.False(Filter(["nsrc", "10.1.0.5"]).Matches(plain)); // no source NAT: no NAT'd source to match
        Assert.True(Filter(["nport", "61000"]).Matches(masqueraded));
        Assert.False(Filter(["nport", "20000"]).Matches(plain));
        Assert.True(Filter(["proto-state", "1"]).Matches(masqueraded)); // UDP, answered
        Assert.False(Filter(["proto-state", "1"]).Matches(plain));
        Assert.True(Filter(["expire", "100", "200"]).Matches(masqueraded));
        Assert.False(Filter(["expire", "100", "200"]).Matches(plain));
        Assert.True(Filter(["expire", "100", "200"], ["negate", "expire"]).Matches(plain));
        Assert.Contains("        NAT'd source ip: 198.51.100.1-198.51.100.1\n", Filter(["nsrc", "198.51.100.1"]).Render(), StringComparison.Ordinal);
        Assert.Same(SessionFilter.None, SessionFilter.Apply(SessionFilter.None, ["vd-name", "root"], out _));

        foreach (var unrecorded in new[] { "sintf", "dintf", "duration", "session-state1", "ext-src" })
        {
            Assert.Null(SessionFilter.Apply(SessionFilter.None, [unrecorded, "1"], out var error));
            Assert.EndsWith("Command fail. Return code -1\n", error, StringComparison.Ordinal);
            Assert.StartsWith(unrecorded + ":", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_policy_id_or_range_matches_the_sessions_that_policy_admitted_and_never_one_no_policy_decided()
    {
        var admittedBy3 = Dns with { PolicyId = 3 };
        var admittedBy7 = Dns with { PolicyId = 7 };
        var undecided = Dns; // to or from this gateway: no policy decided it
        var three = Filter(["policy", "3"]);
        Assert.True(three.Matches(admittedBy3));
        Assert.False(three.Matches(admittedBy7));
        Assert.False(three.Matches(undecided));
        var range = Filter(["policy", "2", "7"]);
        Assert.True(range.Matches(admittedBy3) && range.Matches(admittedBy7));
        Assert.Contains("        policy id: 2-7\n", range.Render(), StringComparison.Ordinal);
        var negated = Filter(["policy", "3"], ["negate", "policy"]);
        Assert.False(negated.Matches(admittedBy3));
        Assert.True(negated.Matches(admittedBy7) && negated.Matches(undecided));
        Assert.False(three.IsEmpty);
        Assert.Same(SessionFilter.None, SessionFilter.Apply(SessionFilter.None, ["vd", "-1"], out _));
    }
}
