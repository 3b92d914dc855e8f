using System.Text.RegularExpressions;
using SharpSwan.Cli.Editing;
using SharpSwan.Config;
using SharpSwan.Config.Editing;
using SharpSwan.Crypto;
using SharpSwan.Gateway.Control;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Hosting;
using SharpSwan.Gateway.Tests.Diagnostics;

namespace SharpSwan.Gateway.Tests.Control;

/// <summary>
/// The gateway's operational commands are one tree: what the control socket runs is what Tab completes and
/// <c>?</c> describes, and a word the tree does not know is the one the parse error names.
/// </summary>
public sealed class OperationalCommandsTests : IDisposable
{
    private readonly EngineLoop _loop = new(TimeProvider.System);
    private readonly EspDataPlane _dataPlane = new(SystemRandomSource.Instance, TimeProvider.System);
    private readonly ConfigurationCommitter _committer = new(() => GatewayConfiguration.Empty, (_, _) => Task.FromResult(CommitResult.Success));

    public void Dispose()
    {
        _committer.Dispose();
        _dataPlane.Dispose();
        _loop.Dispose();
    }

    [Fact]
    public void EveryCommandThatRuns_IsCompletedAndDescribed_UnlessHidden()
    {
        var editor = new ConfigEditor(_committer, OperationalCommands.Tree);
        var commands = OperationalCommands.Tree.Commands().ToList();
        Assert.True(commands.Count >= 20, $"only {commands.Count} commands");
        foreach (var (keywords, node) in commands)
        {
            var spoken = string.Join(" ", keywords);
            Assert.Same(node, OperationalCommands.Tree.Match(keywords).Command);
            Assert.False(string.IsNullOrWhiteSpace(node.Description), spoken);
            var before = string.Join("", keywords.Take(keywords.Count - 1).Select(k => k + " "));
            Assert.True(node.Hidden != editor.Complete(before + node.Word[..1]).Contains(node.Word), spoken);
            Assert.True(node.Hidden != Regex.IsMatch(editor.Help(before), $"(?m)^{Regex.Escape(node.Word)} +{Regex.Escape(node.Description)}$"), spoken);
        }
    }

    [Theory]
    [InlineData("diagnose vpn tunnle list", "tunnle")]
    [InlineData("diagnose vpn tunnel", "tunnel")]
    [InlineData("diagnose vpn ike gateway bogus", "bogus")]
    [InlineData("diagnose debug application", "application")]
    [InlineData("diagnose debug application sshd", "sshd")]
    [InlineData("get vpn ipsec tunnel bogus", "bogus")]
    [InlineData("execute log", "log")]
    [InlineData("execute reboot", "reboot")]
    [InlineData("frobnicate now", "frobnicate")]
    public async Task UnknownOrMissingWord_IsAParseErrorBeforeTheRightWord(string line, string word)
    {
        var output = new StringWriter { NewLine = "\n" };
        await new ControlCommandHandler(_loop, _dataPlane, TimeProvider.System).HandleAsync(line, output, CancellationToken.None);
        Assert.Equal($"command parse error before '{word}'\nCommand fail. Return code -61\n", output.ToString());
    }

    [Theory]
    [InlineData("get vpn ipsec tunnel summary x", "x")]
    [InlineData("get vpn ipsec tunnel details all", "all")]
    [InlineData("get vpn ipsec tunnel name", "name")]
    [InlineData("get system status now", "now")]
    [InlineData("diagnose vpn ike stats x", "x")]
    [InlineData("execute log display extra", "extra")]
    [InlineData("diagnose debug application ike -1 extra", "extra")]
    [InlineData("diagnose debug enable please", "please")]
    [InlineData("diagnose vpn tunnel up p2 p1 extra", "extra")]
    [InlineData("diagnose vpn tunnel flush name", "name")]
    [InlineData("diagnose vpn ike log-filter dst-addr4 10.0.0.1 10.0.0.9 10.0.0.10", "10.0.0.10")]
    public async Task WordsACommandDoesNotTake_AreAParseErrorBeforeTheFirst(string line, string word)
    {
        using var pair = new EnginePair();
        var output = await RunBoundedAsync(pair, line);
        Assert.Equal($"command parse error before '{word}'\nCommand fail. Return code -61\n", output);
    }

    [Fact]
    public async Task EveryCommand_RefusesAWordItDoesNotDeclare_UnlessItReadsItsOwnArguments()
    {
        using var pair = new EnginePair();
        var checkedCommands = 0;
        foreach (var (keywords, node) in OperationalCommands.Tree.Commands().Where(c => !c.Node.FreeArguments))
        {
            // A placeholder takes any word: the stray one goes after a value, where nothing more is declared.
            var line = string.Join(' ', keywords) + (node.Children.Any(c => c.IsPlaceholder) ? " v1 v2 v3 v4" : "") + " zz-stray";
            var output = await RunBoundedAsync(pair, line);
            Assert.True(output.StartsWith("command parse error before '", StringComparison.Ordinal), $"{line}: {output}");
            checkedCommands++;
        }

        Assert.True(checkedCommands >= 20, $"only {checkedCommands} commands");
    }

    [Fact]
    public async Task JsonForm_RefusesAStrayWord_InsteadOfListingEverything()
    {
        var output = new StringWriter { NewLine = "\n" };
        await new ControlCommandHandler(_loop, _dataPlane, TimeProvider.System).HandleJsonAsync(new ControlSession(), "diagnose vpn ike gateway list to-branch", output, CancellationToken.None);
        Assert.Equal("command parse error before 'to-branch'\nCommand fail. Return code -61\n", output.ToString());
    }

    [Fact]
    public async Task FreeAndDeclaredArguments_StillReachTheirCommands()
    {
        var handler = new ControlCommandHandler(_loop, _dataPlane, TimeProvider.System);
        var session = new ControlSession();
        foreach (var line in new[] { "diagnose debug application ike -1", "diagnose vpn ike log-filter dst-addr4 10.0.0.1 10.0.0.9", "execute log filter field user alice bob" })
        {
            var output = new StringWriter { NewLine = "\n" };
            await handler.HandleAsync(session, line, output, CancellationToken.None);
            Assert.Equal("", output.ToString());
        }

        var info = new StringWriter { NewLine = "\n" };
        await handler.HandleAsync(session, "diagnose debug application ike", info, CancellationToken.None);
        Assert.Equal("ike debug level is -1\n", info.ToString());
    }

    /// <summary>Runs a line on a live engine; a command that would stream (debug enable) is stopped after a while.</summary>
    private static async Task<string> RunBoundedAsync(EnginePair pair, string line)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var output = new StringWriter { NewLine = "\n" };
        await pair.Handler.HandleAsync(new ControlSession(), line, output, timeout.Token);
        return output.ToString();
    }

    [Fact]
    public async Task UnterminatedQuote_IsFortiOsTokenError()
    {
        var output = new StringWriter { NewLine = "\n" };
        await new ControlCommandHandler(_loop, _dataPlane, TimeProvider.System).HandleAsync("diagnose sniffer packet any 'udp port 500", output, CancellationToken.None);
        Assert.StartsWith("token line: Unmatched single quote.", output.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("Command fail. Return code -61\n", output.ToString(), StringComparison.Ordinal);
    }
}
