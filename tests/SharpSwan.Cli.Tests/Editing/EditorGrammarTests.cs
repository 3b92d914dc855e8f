namespace SharpSwan.Cli.Tests.Editing;

/// <summary>
/// The editing commands at each level come from one list of nodes: each one that runs is offered by Tab and
/// described by <c>?</c>, and a word that is not one of them is the word the parse error names.
/// </summary>
public sealed class EditorGrammarTests : IDisposable
{
    private readonly EditorHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Theory]
    [InlineData(new string[0], new[] { "config", "show", "get" })]
    [InlineData(new[] { "config vpn ipsec phase1-interface" }, new[] { "edit", "delete", "purge", "rename", "clone", "show", "get", "end", "abort" })]
    [InlineData(new[] { "config vpn ipsec phase1-interface", "edit to-branch" }, new[] { "set", "unset", "append", "select", "unselect", "show", "get", "next", "end", "abort" })]
    [InlineData(new[] { "config system global" }, new[] { "set", "unset", "append", "select", "unselect", "show", "get", "end", "abort" })]
    public async Task EveryCommandOfALevel_IsCompleted_Described_AndDispatched(string[] setup, string[] commands)
    {
        var editor = _harness.NewEditor();
        await EditorHarness.Run(editor, setup);
        var help = editor.Help("");
        foreach (var command in commands)
        {
            Assert.Contains(command, editor.Complete(command[..1]));
            Assert.Matches($"(?m)^{command} +[a-z(]", help);

            // Each one runs here: whatever it answers, it is not the parse error of an unknown command.
            var probe = _harness.NewEditor();
            await EditorHarness.Run(probe, setup);
            var (output, _) = await EditorHarness.Run(probe, command);
            Assert.DoesNotContain($"unknown command '{command}'", output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new string[0], "frobnicate", "unknown command 'frobnicate'")]
    [InlineData(new[] { "config vpn ipsec phase1-interface" }, "set keylife 5", "'set' needs an entry: edit one first (config vpn ipsec phase1-interface)")]
    [InlineData(new[] { "config vpn ipsec phase1-interface", "edit to-branch" }, "edit other", "edit \"to-branch\" is still open: close it with 'next' first")]
    [InlineData(new[] { "config vpn ipsec phase1-interface", "edit to-branch" }, "EDIT other", "unknown command 'EDIT' inside edit \"to-branch\"")]
    public async Task AWordThatIsNoCommandHere_IsAParseErrorBeforeIt(string[] setup, string line, string reason)
    {
        var editor = _harness.NewEditor();
        await EditorHarness.Run(editor, setup);
        var (output, status) = await EditorHarness.Run(editor, line);
        Assert.Equal(-61, status);
        Assert.Equal($"command parse error before '{line.Split(' ')[0]}'\n{reason}\nCommand fail. Return code -61\n", output);
    }

    [Fact]
    public async Task BackslashEscapes_ReachTheValue()
    {
        var editor = _harness.NewEditor();
        var (output, status) = await EditorHarness.Run(
            editor, "config vpn ipsec phase1-interface", "edit to-branch", "set comments two\\ words\\ and\\ a\\ \\\"quote\\\"", "next", "end");
        Assert.True(status == 0, output);
        Assert.Equal("two words and a \"quote\"", _harness.Current.FindPhase1("to-branch")!.Comments);
    }

    [Fact]
    public async Task UnterminatedQuote_IsRefusedBeforeAnythingChanges()
    {
        var editor = _harness.NewEditor();
        await EditorHarness.Run(editor, "config vpn ipsec phase1-interface", "edit to-branch");
        var (output, status) = await EditorHarness.Run(editor, "set comments \"not closed");
        Assert.Equal(-61, status);
        Assert.StartsWith("token line: Unmatched double quote.", output, StringComparison.Ordinal);
        Assert.Equal("sharpswan (to-branch) # ", editor.Prompt);
    }
}
