using System.Net;
using SharpSwan.Config;
using SharpSwan.Simulate;

namespace SharpSwan.Tests.Simulate;

/// <summary>The `simulate` script language: what each line means, and errors that name the file and line.</summary>
public sealed class ScriptParserTests
{
    private static readonly IReadOnlyDictionary<string, GatewayConfiguration> Gateways = new Dictionary<string, GatewayConfiguration>
    {
        ["hq"] = SimulateFixtures.Load(SimulateFixtures.Config("198.51.100.2", "10.1.0.0", "10.2.0.0")),
        ["branch"] = SimulateFixtures.Load(SimulateFixtures.Config("198.51.100.1", "10.2.0.0", "10.1.0.0")),
    };

    [Fact]
    public void Every_command_is_read_with_its_arguments_and_comments_and_blank_lines_are_ignored()
    {
        var result = ScriptParser.Parse("""
            # addresses first
            gateway hq address 198.51.100.1

            traffic on branch 10.2.0.10 -> 10.1.0.20 every 500ms   # a ping
            advance 1h30m
            at 2h
            send hq 10.1.0.5 -> 10.2.0.7 count 3
            link down hq branch
            link up
            loss 2.5% hq branch
            latency 40ms
            rekey hq vpn vpn-p2
            rekey hq vpn
            down branch vpn vpn-p2
            up branch vpn
            restart branch
            crash hq
            boot hq
            config hq hq-new.conf
            traffic off branch 10.2.0.10 -> 10.1.0.20
            traffic off all
            """, "s.txt", Gateways);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        var commands = result.Commands;
        Assert.Equal(19, commands.Count);
        Assert.Equal(new ScriptCommand(2, ScriptCommandKind.GatewayAddress, "gateway hq address 198.51.100.1") { Gateway = "hq", Argument = "198.51.100.1" }, commands[0]);
        var traffic = commands[1];
        Assert.Equal((4, ScriptCommandKind.TrafficOn, "branch"), (traffic.Line, traffic.Kind, traffic.Gateway));
        Assert.Equal((IPAddress.Parse("10.2.0.10"), IPAddress.Parse("10.1.0.20"), TimeSpan.FromMilliseconds(500)), (traffic.Source, traffic.Destination, traffic.Time));
        Assert.Equal(TimeSpan.FromMinutes(90), commands[2].Time);
        Assert.Equal((ScriptCommandKind.At, TimeSpan.FromHours(2)), (commands[3].Kind, commands[3].Time));
        Assert.Equal(3, commands[4].Count);
        Assert.Equal((ScriptCommandKind.LinkDown, "hq", "branch"), (commands[5].Kind, commands[5].Gateway, commands[5].Peer));
        Assert.Null(commands[6].Gateway);
        Assert.Equal(2.5, commands[7].Percent);
        Assert.Equal(TimeSpan.FromMilliseconds(40), commands[8].Time);
        Assert.Equal(("vpn", "vpn-p2"), (commands[9].Phase1, commands[9].Phase2));
        Assert.Null(commands[10].Phase2);
        Assert.Equal(ScriptCommandKind.Down, commands[11].Kind);
        Assert.Equal(ScriptCommandKind.Up, commands[12].Kind);
        Assert.Equal([ScriptCommandKind.Restart, ScriptCommandKind.Crash, ScriptCommandKind.Boot], commands.Skip(13).Take(3).Select(c => c.Kind));
        Assert.Equal("hq-new.conf", commands[16].Argument);
        Assert.True(commands[18].All);
    }

    [Theory]
    [InlineData("fly to the moon", 1, "unknown command 'fly'")]
    [InlineData("advance", 1, "usage: advance DURATION")]
    [InlineData("advance 5x", 1, "'5x' is not a duration")]
    [InlineData("advance 1h\nat 30m", 2, "at 30m is earlier than the 01:00:00.000 the script has reached already")]
    [InlineData("traffic on nowhere 10.1.0.1 -> 10.2.0.1 every 1s", 1, "unknown gateway 'nowhere' (gateways are named after their configuration files: hq, branch)")]
    [InlineData("traffic on hq 10.1.0.1 to 10.2.0.1 every 1s", 1, "usage: traffic on GATEWAY")]
    [InlineData("traffic on hq 10.1.0 -> 10.2.0.1 every 1s", 1, "'10.1.0' is not an IPv4 address")]
    [InlineData("traffic on hq 10.1.0.1 -> 10.2.0.1 every 1s\ntraffic on hq 10.1.0.1 -> 10.2.0.1 every 2s", 2, "is on already")]
    [InlineData("traffic off hq 10.1.0.1 -> 10.2.0.1", 1, "no traffic from hq 10.1.0.1 -> 10.2.0.1 is on")]
    [InlineData("advance 1s\ngateway hq address 192.0.2.1", 2, "gateway lines must come before every other command")]
    [InlineData("loss 120", 1, "loss must be a percentage 0-100")]
    [InlineData("link down hq hq", 1, "a link joins two different gateways")]
    [InlineData("rekey hq nope", 1, "gateway hq has no phase1 \"nope\" (it has vpn)")]
    [InlineData("down hq vpn nope", 1, "phase1 \"vpn\" of gateway hq has no phase2 \"nope\" (it has vpn-p2)")]
    [InlineData("send hq 10.1.0.1 -> 10.2.0.1 count 0", 1, "count must be 1-100000")]
    public void Errors_name_the_file_and_line_and_nothing_runs(string script, int line, string message)
    {
        var result = ScriptParser.Parse(script, "scenario.txt", Gateways);
        Assert.False(result.IsValid);
        Assert.Empty(result.Commands);
        var error = Assert.Single(result.Errors);
        Assert.Equal(line, error.Line);
        Assert.StartsWith($"scenario.txt:{line}: ", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void All_errors_of_a_script_are_reported_at_once()
    {
        var result = ScriptParser.Parse("advance 1m\nbogus\nadvance x\nrestart ghost\n", "s.txt", Gateways);
        Assert.Equal([2, 3, 4], result.Errors.Select(e => e.Line));
    }

    [Theory]
    [InlineData("90", 90)]
    [InlineData("90s", 90)]
    [InlineData("500ms", 0.5)]
    [InlineData("2m", 120)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5h", 5400)]
    [InlineData("3d", 259200)]
    public void Durations_accept_units_and_combinations(string text, double seconds)
    {
        Assert.True(DurationText.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-5s")]
    [InlineData("5 s")]
    [InlineData("1h30")]
    [InlineData("2w")]
    public void Durations_refuse_what_they_cannot_read(string text) => Assert.False(DurationText.TryParse(text, out _));
}
