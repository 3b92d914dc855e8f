using SharpSwan.Cli.Grammar;

namespace SharpSwan.Cli.Tests.Grammar;

/// <summary>The one tokenizer: FortiOS quoting and backslash escapes, inside quotes and out, and its errors.</summary>
public sealed class CliTokenizerTests
{
    [Theory]
    [InlineData("set comments \"two words\"", new[] { "set", "comments", "two words" })]
    [InlineData("set comments 'two words'", new[] { "set", "comments", "two words" })]
    [InlineData("set comments two\\ words", new[] { "set", "comments", "two words" })]
    [InlineData("set comments \"say \\\"hi\\\"\"", new[] { "set", "comments", "say \"hi\"" })]
    [InlineData("set comments 'it\\'s'", new[] { "set", "comments", "it's" })]
    [InlineData("set comments \"it's\"", new[] { "set", "comments", "it's" })]
    [InlineData("set comments 'say \"hi\"'", new[] { "set", "comments", "say \"hi\"" })]
    [InlineData("set comments back\\\\slash", new[] { "set", "comments", "back\\slash" })]
    [InlineData("set comments \"back\\\\slash\"", new[] { "set", "comments", "back\\slash" })]
    [InlineData("edit \"\"", new[] { "edit", "" })]
    [InlineData("  diagnose\tvpn   tunnel list  ", new[] { "diagnose", "vpn", "tunnel", "list" })]
    [InlineData("set name pre\"quoted part\"post", new[] { "set", "name", "prequoted partpost" })]
    [InlineData("diagnose sniffer packet any 'udp port 500' 4", new[] { "diagnose", "sniffer", "packet", "any", "udp port 500", "4" })]
    public void Split_ResolvesQuotesAndEscapes(string line, string[] expected)
    {
        var words = CliTokenizer.Words(line, out var error);
        Assert.Null(error);
        Assert.Equal(expected, words);
    }

    [Fact]
    public void Split_TellsWhichWordsWereQuotedAndWhereTheyStart()
    {
        var words = CliTokenizer.Split("edit \"to branch\" 7", out var error);
        Assert.Null(error);
        Assert.Equal([new CliWord("edit", 1, false), new CliWord("to branch", 6, true), new CliWord("7", 18, false)], words);
    }

    [Theory]
    [InlineData("set comments \"unfinished", "double")]
    [InlineData("set comments 'unfinished", "single")]
    [InlineData("set comments \"escaped close\\\"", "double")]
    public void UnterminatedQuote_IsFortiOsTokenLineError_AndNoWords(string line, string kind)
    {
        var words = CliTokenizer.Split(line, out var error);
        Assert.Empty(words);
        Assert.NotNull(error);
        Assert.StartsWith($"token line: Unmatched {kind} quote.", error.Text, StringComparison.Ordinal);
        Assert.Equal(-61, error.ReturnCode);
    }

    [Fact]
    public void BackslashBeforeLineBreak_ContinuesTheLine()
    {
        Assert.Equal(["set", "proposal", "aes128-sha256", "aes256-sha256"], CliTokenizer.Words("set proposal aes128-sha256 \\\naes256-sha256", out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("", new string[0], "")]
    [InlineData("diag", new string[0], "diag")]
    [InlineData("diagnose vpn ", new[] { "diagnose", "vpn" }, "")]
    [InlineData("edit \"to br", new[] { "edit" }, "to br")]
    [InlineData("edit 'to br", new[] { "edit" }, "to br")]
    [InlineData("set comments two\\ ", new[] { "set", "comments" }, "two ")]
    public void SplitPartial_GivesCompleteWordsAndThePartOneBeingTyped(string line, string[] words, string partial)
    {
        var (complete, typing) = CliTokenizer.SplitPartial(line);
        Assert.Equal(words, complete);
        Assert.Equal(partial, typing);
    }
}
