namespace SharpSwan.Config.Tests.DialUp;

/// <summary>Quoted values spanning lines (PEM as FortiOS prints it) and the line numbers of what follows them.</summary>
public sealed class MultiLineValueTests
{
    [Fact]
    public void ErrorsAfterAMultiLineValue_HaveTheirRealLineNumbers()
    {
        var text = TestPki.DialUpConfiguration("        set keylife 100");
        var errors = ConfigurationLoader.Parse(text, "hq.conf").Errors;
        var error = Assert.Single(errors);
        Assert.Equal(TestPki.LineOf(text, "set keylife 100"), error.Line);
        Assert.True(error.Line > 20, "the PEM lines must be counted");
    }

    [Fact]
    public void ErrorAtAMultiLineValue_StandsAtTheLineWhereItStarts()
    {
        var text = "config vpn certificate ca\n    edit \"x\"\n        set ca \"first line\nsecond line\nthird\"\n    next\nend\n";
        var error = ConfigText.SingleError(text);
        Assert.Equal(3, error.Line);
        Assert.Equal(16, error.Column);
        Assert.Equal("value parse error before 'first line...'", error.Message);
    }

    [Fact]
    public void MultiLineComment_IsReadWithItsLineBreaks()
    {
        var config = ConfigText.ParseValid(ConfigText.Phase1With("set comments \"line one\nline two\"\n        set keylife 3600"));
        Assert.Equal("line one\nline two", config.Phase1[0].Comments);
        Assert.Equal(3600, config.Phase1[0].KeyLifeSeconds);
    }

    [Fact]
    public void QuoteClosedOnALaterLineButFollowedByMoreText_IsStillAnUnmatchedQuote()
    {
        // The quote of line 7 would close at line 8's first quote, which does not end the line: not a multi-line value.
        var text = ConfigText.Phase1With("set comments \"hello\n        set localid \"hq.example\"");
        var error = ConfigText.SingleError(text);
        Assert.Equal(7, error.Line);
        Assert.Equal("token line: Unmatched double quote.", error.Message);
    }
}
