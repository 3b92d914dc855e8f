namespace SharpSwan.Cli.Tests.Editing;

/// <summary>Several sessions editing one running configuration: merges of disjoint changes, refusal of stale ones.</summary>
public sealed class ConcurrentEditingTests : IDisposable
{
    private readonly EditorHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task ChangesToDifferentEntries_AreBothKept()
    {
        var alice = _harness.NewEditor();
        var bob = _harness.NewEditor();
        await EditorHarness.Run(alice, "config vpn ipsec phase1-interface", "edit to-branch", "set keylife 7200");
        await EditorHarness.Run(bob, "config vpn ipsec phase1-interface", "edit dialup", "set keylife 9000", "end");
        var (_, status) = await EditorHarness.Run(alice, "end");

        Assert.Equal(0, status);
        Assert.Equal(7200, _harness.Current.FindPhase1("to-branch")!.KeyLifeSeconds);
        Assert.Equal(9000, _harness.Current.FindPhase1("dialup")!.KeyLifeSeconds);
    }

    [Fact]
    public async Task ChangeToAnEntrySomeoneElseChangedMeanwhile_IsRefused_NotOverwritten()
    {
        var alice = _harness.NewEditor();
        var bob = _harness.NewEditor();
        await EditorHarness.Run(alice, "config vpn ipsec phase1-interface", "edit to-branch", "set keylife 7200", "next");
        await EditorHarness.Run(bob, "config vpn ipsec phase1-interface", "edit to-branch", "set dpd on-idle", "end");

        var (output, status) = await EditorHarness.Run(alice, "end");

        Assert.Equal(-1, status);
        Assert.Contains("entry 'to-branch' of config vpn ipsec phase1-interface was changed by another session since you began editing it", output, StringComparison.Ordinal);
        var phase1 = _harness.Current.FindPhase1("to-branch")!;
        Assert.Equal(DpdMode.OnIdle, phase1.Dpd);
        Assert.Equal(86400, phase1.KeyLifeSeconds);

        // Starting again from the new version works.
        var (_, retried) = await EditorHarness.Run(alice, "abort", "config vpn ipsec phase1-interface", "edit to-branch", "set keylife 7200", "end");
        Assert.Equal(0, retried);
        Assert.Equal(DpdMode.OnIdle, _harness.Current.FindPhase1("to-branch")!.Dpd);
        Assert.Equal(7200, _harness.Current.FindPhase1("to-branch")!.KeyLifeSeconds);
    }

    [Fact]
    public async Task StaleEntry_IsReportedAtTheNextChangeAlready()
    {
        var alice = _harness.NewEditor();
        var bob = _harness.NewEditor();
        await EditorHarness.Run(alice, "config vpn ipsec phase1-interface", "edit to-branch", "set keylife 7200");
        await EditorHarness.Run(bob, "config vpn ipsec phase1-interface", "delete dialup", "edit to-branch", "set keylife 3600", "end");

        var (output, status) = await EditorHarness.Run(alice, "set dpd disable");

        Assert.Equal(-1, status);
        Assert.Contains("was changed by another session", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoSessionsCreatingTheSameName_SecondIsRefused()
    {
        var alice = _harness.NewEditor();
        var bob = _harness.NewEditor();
        string[] create = ["config router static", "edit 7", "set dst 10.7.0.0/16", "set device to-branch"];
        await EditorHarness.Run(alice, create);
        await EditorHarness.Run(bob, [.. create, "set distance 20", "end"]);

        var (output, status) = await EditorHarness.Run(alice, "end");

        Assert.Equal(-1, status);
        Assert.Contains("entry '7' of config router static was created by another session", output, StringComparison.Ordinal);
        Assert.Equal(20, _harness.Current.StaticRoutes.Single(r => r.Id == 7).Distance);
    }

    [Fact]
    public async Task ConcurrentEnds_ApplyOneAtATime_AndAllDisjointChangesSurvive()
    {
        var editors = Enumerable.Range(0, 8).Select(_ => _harness.NewEditor()).ToList();
        for (var i = 0; i < editors.Count; i++)
        {
            await EditorHarness.Run(editors[i], "config router static", $"edit {10 + i}", $"set dst 10.{10 + i}.0.0/16", "set device to-branch");
        }

        var results = await Task.WhenAll(editors.Select(e => Task.Run(() => EditorHarness.Run(e, "end"))));

        Assert.All(results, r => Assert.Equal(0, r.Status));
        Assert.Equal(Enumerable.Range(10, 8), _harness.Current.StaticRoutes.Select(r => r.Id).Where(id => id >= 10).Order());
    }
}
