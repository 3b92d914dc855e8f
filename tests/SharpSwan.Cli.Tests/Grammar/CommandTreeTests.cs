using SharpSwan.Cli.Grammar;

namespace SharpSwan.Cli.Tests.Grammar;

/// <summary>Dispatch, completion and parse errors all come from walking the same nodes.</summary>
public sealed class CommandTreeTests
{
    private readonly List<string> _ran = [];
    private readonly CommandTree _tree;

    public CommandTreeTests()
    {
        _tree = new CommandTree([
            new("diagnose", "diagnose facility", [
                new("vpn", "VPN diagnostics", [
                    new("tunnel", "tunnels", [
                        new("list", "list tunnels", [new("name", "only this one", [new("<phase1>", "phase 1 name", [Keys()])]), Keys()]) { Handler = Record },
                        new("down", "take one down", [new("<phase2>", "phase 2 name", [new("<phase1>", "its phase 1") { Optional = true }])]) { Handler = Record },
                        new("rekey", "rekey now", [new("<phase2>", "phase 2 name")]) { Handler = Record, Hidden = true },
                    ]),
                ]),
                new("debug", "debug output", [
                    new("enable", "start") { Handler = Record },
                    new("disable", "stop") { Handler = Record },
                    new("display", "show") { Handler = Record },
                ]),
                new("sniffer", "capture", [new("<interface>", "interface", [new("<filter>", "filter")])]) { Handler = Record, FreeArguments = true },
            ]),
        ]);
    }

    [Theory]
    [InlineData("diagnose vpn tunnel list", "diagnose vpn tunnel list|")]
    [InlineData("diag vpn tun li", "diagnose vpn tunnel list|")]
    [InlineData("diagnose vpn tunnel list name hq keys", "diagnose vpn tunnel list|name hq keys")]
    [InlineData("diagnose vpn tunnel down hq-p2", "diagnose vpn tunnel down|hq-p2")]
    [InlineData("diagnose vpn tunnel rekey hq-p2", "diagnose vpn tunnel rekey|hq-p2")]
    [InlineData("diagnose debug en", "diagnose debug enable|")]
    public async Task Dispatch_RunsTheDeepestCommand_WithKeywordsExpandedAndTheRestAsArguments(string line, string expected)
    {
        var output = new StringWriter();
        Assert.True(await _tree.DispatchAsync(CliTokenizer.Words(line, out _), output, this, CancellationToken.None));
        Assert.Equal([expected], _ran);
        Assert.Equal("", output.ToString());
    }

    [Theory]
    [InlineData("diagnose vpn bogus list", "bogus")]
    [InlineData("diagnose vpn tunnel", "tunnel")]
    [InlineData("diagnose debug dis", "dis")]
    [InlineData("DIAGNOSE vpn tunnel list", "DIAGNOSE")]
    [InlineData("bogus", "bogus")]
    public async Task Dispatch_OfWhatTheTreeCannotRun_IsAParseErrorBeforeTheRightWord(string line, string word)
    {
        var output = new StringWriter();
        Assert.False(await _tree.DispatchAsync(CliTokenizer.Words(line, out _), output, this, CancellationToken.None));
        Assert.Empty(_ran);
        Assert.Equal($"command parse error before '{word}'\nCommand fail. Return code -61\n", output.ToString());
    }

    [Theory]
    [InlineData("diagnose debug enable now", "now")]
    [InlineData("diagnose vpn tunnel list hq", "hq")]
    [InlineData("diagnose vpn tunnel list name", "name")]
    [InlineData("diagnose vpn tunnel list name hq keys more", "more")]
    [InlineData("diagnose vpn tunnel list keys hq", "hq")]
    [InlineData("diagnose vpn tunnel down hq-p2 hq extra", "extra")]
    public async Task Dispatch_WithAWordTheCommandDoesNotTake_IsAParseErrorBeforeIt_AndRunsNothing(string line, string word)
    {
        var output = new StringWriter();
        Assert.False(await _tree.DispatchAsync(CliTokenizer.Words(line, out _), output, this, CancellationToken.None));
        Assert.Empty(_ran);
        Assert.Equal($"command parse error before '{word}'\nCommand fail. Return code -61\n", output.ToString());
    }

    [Theory]
    [InlineData("diagnose vpn tunnel list na hq keys", "diagnose vpn tunnel list|na hq keys")]
    [InlineData("diagnose vpn tunnel list keys", "diagnose vpn tunnel list|keys")]
    [InlineData("diagnose vpn tunnel down hq-p2 hq", "diagnose vpn tunnel down|hq-p2 hq")]
    [InlineData("diagnose sniffer any 'udp port 500' 4 10 a", "diagnose sniffer|any udp port 500 4 10 a")]
    public async Task Dispatch_OfWordsTheCommandDeclares_OrOfAFreeArgumentCommand_Runs(string line, string expected)
    {
        var output = new StringWriter();
        Assert.True(await _tree.DispatchAsync(CliTokenizer.Words(line, out _), output, this, CancellationToken.None));
        Assert.Equal([expected], _ran);
    }

    [Fact]
    public void Options_FollowTheSameWords_AndLeaveHiddenCommandsOut()
    {
        Assert.Equal(["list", "down"], _tree.OptionsAfter(["diag", "vpn", "tun"]).Select(n => n.Word));
        Assert.Equal(["name", "keys"], _tree.OptionsAfter(["diagnose", "vpn", "tunnel", "list"]).Select(n => n.Word));
        Assert.Equal(["<phase1>"], _tree.OptionsAfter(["diagnose", "vpn", "tunnel", "list", "name"]).Select(n => n.Word));
        Assert.Empty(_tree.OptionsAfter(["diagnose", "bogus"]));
    }

    [Fact]
    public void EveryCommandThatRuns_IsReachedByItsOwnKeywords_AndEveryVisibleOneIsOffered()
    {
        var commands = _tree.Commands().ToList();
        Assert.Equal(7, commands.Count);
        foreach (var (keywords, node) in commands)
        {
            Assert.Same(node, _tree.Match(keywords).Command);
            Assert.NotEqual("", node.Description);
            var offered = _tree.OptionsAfter([.. keywords.Take(keywords.Count - 1)]);
            Assert.Equal(!node.Hidden, offered.Contains(node));
        }
    }

    [Fact]
    public void Keyword_TakesTheWordOrItsOnlyAbbreviation_CaseSensitively()
    {
        Assert.Equal("enable", Keyword.Expand("en", ["enable", "disable"]));
        Assert.Equal("set", Keyword.Expand("set", ["set", "select"]));
        Assert.Null(Keyword.Expand("se", ["set", "select"]));
        Assert.Null(Keyword.Expand("SET", ["set"]));
        Assert.Null(Keyword.Expand("", ["set"]));
    }

    private static CommandNode Keys() => new("keys", "with keys");

    private Task Record(CommandCall call)
    {
        Assert.Same(this, call.Context);
        _ran.Add(string.Join(" ", call.Keywords) + "|" + string.Join(" ", call.Arguments));
        return Task.CompletedTask;
    }
}
