namespace SharpSwan.Cli.Tests.Editing;

/// <summary>
/// A value refused only because of another field of its entry is judged when the entry is closed, not at its <c>set</c>:
/// the administrator types fields in any order, and the other field may be about to change.
/// </summary>
public sealed class CrossFieldEditorTests : IDisposable
{
    private readonly EditorHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task ModeAggressive_ThenIkeVersion2_IsAcceptedAtEachSet_AndRefusedAtNext_UntilTheVersionAllowsIt()
    {
        var editor = _harness.NewEditor();
        var (sets, status) = await EditorHarness.Run(
            editor,
            "config vpn ipsec phase1-interface",
            "edit \"to-lab\"",
            "set interface eth1",
            "set remote-gw 203.0.113.9",
            "set psksecret 'lab secret value'",
            "set ike-version 2",
            "set mode aggressive");
        Assert.Equal(0, status);
        Assert.DoesNotContain("Command fail", sets, StringComparison.Ordinal);

        var (refused, nextStatus) = await EditorHarness.Run(editor, "next");
        Assert.NotEqual(0, nextStatus);
        Assert.Contains("mode aggressive is an IKEv1 exchange", refused, StringComparison.Ordinal);
        Assert.Equal("sharpswan (to-lab) # ", editor.Prompt);

        var (closed, closedStatus) = await EditorHarness.Run(editor, "set mode main", "next", "end");
        Assert.Equal(0, closedStatus);
        Assert.DoesNotContain("Command fail", closed, StringComparison.Ordinal);
        Assert.Equal(Config.Ikev1Mode.Main, _harness.Current.FindPhase1("to-lab")!.Mode);
    }

    [Fact]
    public async Task ASingleFieldValueError_IsStillReportedAtItsSet()
    {
        var editor = _harness.NewEditor();
        var (output, status) = await EditorHarness.Run(editor, "config vpn ipsec phase1-interface", "edit \"to-lab\"", "set keylife 100");
        Assert.NotEqual(0, status);
        Assert.Contains("value parse error before '100'", output, StringComparison.Ordinal);
    }
}
