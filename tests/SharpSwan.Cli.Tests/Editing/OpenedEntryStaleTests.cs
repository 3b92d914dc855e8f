namespace SharpSwan.Cli.Tests.Editing;

/// <summary>An entry counts as the session's from <c>edit</c> (or <c>config</c> of an object), not from its first <c>set</c>.</summary>
public sealed class OpenedEntryStaleTests
{
    [Fact]
    public async Task ChangeByAnotherSession_AfterEdit_RefusesTheFirstSet()
    {
        using var harness = new EditorHarness();
        var first = harness.NewEditor();
        await EditorHarness.Run(first, "config vpn ipsec phase1-interface", "edit to-branch");
        var (_, other) = await EditorHarness.Run(harness.NewEditor(), "config vpn ipsec phase1-interface", "edit to-branch", "set keylife 7200", "next", "end");
        Assert.Equal(0, other);

        var (output, status) = await EditorHarness.Run(first, "set dpd on-idle");
        Assert.NotEqual(0, status);
        Assert.Contains("entry 'to-branch' of config vpn ipsec phase1-interface was changed by another session since you began editing it", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyLookingAtAnEntry_IsNeverRefused_AndReopeningTakesTheNewVersion()
    {
        using var harness = new EditorHarness();
        var first = harness.NewEditor();
        await EditorHarness.Run(first, "config vpn ipsec phase1-interface", "edit to-branch");
        await EditorHarness.Run(harness.NewEditor(), "config vpn ipsec phase1-interface", "edit to-branch", "set keylife 7200", "next", "end");

        var (closed, closeStatus) = await EditorHarness.Run(first, "next");
        Assert.True(closeStatus == 0, closed);
        var (changed, status) = await EditorHarness.Run(first, "edit to-branch", "set dpd on-idle", "next", "end");
        Assert.True(status == 0, changed);
        Assert.Equal(7200, harness.Current.FindPhase1("to-branch")!.KeyLifeSeconds);
        Assert.Equal(DpdMode.OnIdle, harness.Current.FindPhase1("to-branch")!.Dpd);
    }

    [Fact]
    public async Task SingleObjectTables_CountFromConfig()
    {
        using var harness = new EditorHarness();
        var first = harness.NewEditor();
        await EditorHarness.Run(first, "config log syslogd setting");
        await EditorHarness.Run(harness.NewEditor(), "config log syslogd setting", "set facility local1", "end");

        var (output, status) = await EditorHarness.Run(first, "set port 1514");
        Assert.NotEqual(0, status);
        Assert.Contains("config log syslogd setting was changed by another session", output, StringComparison.Ordinal);
    }
}
