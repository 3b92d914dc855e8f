using SharpSwan.Platform;
using SharpSwan.Shell;

namespace SharpSwan.Tests.Shell;

/// <summary>
/// <c>purge</c> asks FortiOS's question in the interactive shell and purges only on y; scripts (-c, stdin) proceed
/// without a question, as FortiOS configuration scripts do.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class PurgeConfirmationTests : IDisposable
{
    private readonly InProcessGateway _gateway = new();

    public void Dispose() => _gateway.Dispose();

    [Theory]
    [InlineData("purge", "hq (phase2-interface) # ", true)]
    [InlineData("pur", "hq (phase2-interface) # ", true)]
    [InlineData("  purge  ", "hq (router static) # ", true)]
    [InlineData("purge", "hq # ", false)]
    [InlineData("purgex", "hq (phase2-interface) # ", false)]
    [InlineData("show", "hq (phase2-interface) # ", false)]
    public void OnlyPurgeInsideATable_IsAsked(string line, string prompt, bool asked) =>
        Assert.Equal(asked, PurgeConfirmation.Applies(line, prompt));

    [Fact]
    public async Task InteractiveShell_AnswerN_KeepsTheTable_AnswerY_PurgesIt()
    {
        var keys = new ScriptedKeys([
            .. Line("config vpn ipsec phase2-interface"), .. Line("purge"), Char('n'), .. Line("end"),
            .. Line("config vpn ipsec phase2-interface"), .. Line("purge"), Char('y'), .. Line("end"),
            .. Line("exit")]);
        var screen = new StringWriter { NewLine = "\n" };
        await using (var client = await ControlSessionClient.ConnectAsync(_gateway.SocketPath, screen, CancellationToken.None))
        {
            Assert.NotNull(client);
            var status = await new InteractiveShell(client!, keys, screen).RunAsync();
            Assert.Equal(0, status);
        }

        var text = screen.ToString();
        Assert.Equal(2, CountOf(text, "This operation will clear all table!\nDo you want to continue? (y/n)"));
        Assert.Contains("Do you want to continue? (y/n)n\n", text, StringComparison.Ordinal);
        Assert.Contains("Do you want to continue? (y/n)y\n", text, StringComparison.Ordinal);

        // The "n" round changed nothing (its end had nothing to commit); the "y" round emptied the table.
        Assert.Single(_gateway.Applier.Applied);
        Assert.Empty(_gateway.Applier.Current.Phase2);
        Assert.NotNull(_gateway.Applier.Current.FindPhase1("to-branch"));
    }

    [Fact]
    public void Script_PurgesWithoutAsking()
    {
        var (code, stdout, stderr) = ConsoleCapture.Run(
            "cli", "--control", _gateway.SocketPath,
            "-c", "config vpn ipsec phase2-interface",
            "-c", "purge",
            "-c", "end");
        Assert.True(code == 0, stdout + stderr);
        Assert.DoesNotContain(PurgeConfirmation.Question, stdout, StringComparison.Ordinal);
        Assert.Empty(_gateway.Applier.Current.Phase2);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static IEnumerable<ConsoleKeyInfo> Line(string text) =>
        [.. text.Select(c => new ConsoleKeyInfo(c, ConsoleKey.NoName, false, false, false)), new ConsoleKeyInfo('\r', ConsoleKey.Enter, false, false, false)];

    private static ConsoleKeyInfo Char(char c) => new(c, ConsoleKey.NoName, false, false, false);

    /// <summary>Keys for the shell; "available" only between commands is not modelled: the shell keeps typed-ahead keys.</summary>
    private sealed class ScriptedKeys(IEnumerable<ConsoleKeyInfo> keys) : IKeySource
    {
        private readonly Queue<ConsoleKeyInfo> _keys = new(keys);

        public bool KeyAvailable => _keys.Count > 0;

        public ConsoleKeyInfo ReadKey() => _keys.Dequeue();
    }
}
