using SharpSwan.Config.Tests.Editing;

namespace SharpSwan.Cli.Tests.Editing;

/// <summary>Issue 16: a table outside SharpSwan's scope is shown by <c>show</c> and survives a change made in the CLI.</summary>
public sealed class KeptTableEditorTests : IDisposable
{
    private const string Bgp = "config router bgp\n    set as 65010\n    config neighbor\n        edit \"169.254.21.1\"\n            set remote-as 65515\n        next\n    end\nend\n";

    private readonly EditorHarness _harness = new(BaseConfiguration.Text + "\n" + Bgp);

    [Fact]
    public async Task Show_PrintsTheKeptTable_AndAChangeElsewhereKeepsIt()
    {
        var editor = _harness.NewEditor();
        var (shown, _) = await EditorHarness.Run(editor, "show");
        Assert.Contains(Bgp, shown, StringComparison.Ordinal);

        var (_, status) = await EditorHarness.Run(editor, "config vpn ipsec phase1-interface", "edit to-branch", "set keylife 3600", "end");
        Assert.Equal(0, status);
        var applied = Assert.Single(_harness.Applied);
        Assert.Equal("router bgp", Assert.Single(applied.KeptTables).Path);
        Assert.Equal(3600, applied.FindPhase1("to-branch")!.KeyLifeSeconds);
    }

    public void Dispose() => _harness.Dispose();
}
