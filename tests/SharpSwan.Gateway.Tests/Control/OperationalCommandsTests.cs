using System.Text.RegularExpressions;
using SharpSwan.Cli.Editing;
using SharpSwan.Config;
using SharpSwan.Config.Editing;
using SharpSwan.Crypto;
using SharpSwan.Gateway.Control;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Hosting;

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

    [Fact]
    public async Task UnterminatedQuote_IsFortiOsTokenError()
    {
        var output = new StringWriter { NewLine = "\n" };
        await new ControlCommandHandler(_loop, _dataPlane, TimeProvider.System).HandleAsync("diagnose sniffer packet any 'udp port 500", output, CancellationToken.None);
        Assert.StartsWith("token line: Unmatched single quote.", output.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("Command fail. Return code -61\n", output.ToString(), StringComparison.Ordinal);
    }
}
