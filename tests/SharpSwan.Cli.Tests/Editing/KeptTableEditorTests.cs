using SharpSwan.Config.Editing;
using SharpSwan.Config.Tests.Editing;

namespace SharpSwan.Cli.Tests.Editing;

/// <summary>Issue 16: a table outside SharpSwan's scope is shown by <c>show</c> and survives a change made in the CLI.</summary>
public sealed class KeptTableEditorTests : IDisposable
{
    private const string Bgp = "config router bgp\n    set as 65010\n    config neighbor\n        edit \"169.254.21.1\"\n            set remote-as 65515\n        next\n    end\nend\n";

    private const string TunnelAddresses = "config system interface\n    edit \"to-branch\"\n        set vdom \"root\"\n        set type tunnel\n        set ip 169.254.21.2 255.255.255.255\n        set remote-ip 169.254.21.1 255.255.255.252\n        set interface \"eth0\"\n    next\nend\n";

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

    [Fact]
    public async Task ShowOfAKeptTablesPath_PrintsItAsTheWholeShowDoes_AndTabOffersIt()
    {
        var editor = _harness.NewEditor();
        var (shown, status) = await EditorHarness.Run(editor, "show router bgp");
        Assert.Equal(0, status);
        Assert.Equal(Bgp, shown);
        Assert.Contains("bgp", editor.Complete("show router "));

        // A table neither supported nor in the configuration is still a parse error.
        var (_, absent) = await EditorHarness.Run(editor, "show router ospf");
        Assert.Equal(EditError.ParseError, absent);
    }

    [Fact]
    public async Task ShowOfAKeptEntry_PrintsThatEntry_AndAMissingOneIsNotFound()
    {
        using var harness = new EditorHarness(BaseConfiguration.Text + "\n" + TunnelAddresses);
        var editor = harness.NewEditor();
        var (shown, status) = await EditorHarness.Run(editor, "show system interface to-branch");
        Assert.Equal(0, status);
        Assert.Equal(TunnelAddresses, shown);
        Assert.Contains("interface", editor.Complete("show system "));
        Assert.Equal(["to-branch"], editor.Complete("show system interface "));

        var (_, missing) = await EditorHarness.Run(editor, "show system interface port9");
        Assert.Equal(EditError.NotFound, missing);
    }

    [Fact]
    public async Task ShowOfAKeptTableWrittenInTwoBlocks_PrintsTheEntriesOfBoth()
    {
        const string Ports = "config system interface\n    edit \"port1\"\n        set vdom \"root\"\n        set ip 192.0.2.1 255.255.255.0\n    next\nend\n";
        using var harness = new EditorHarness(BaseConfiguration.Text + "\n" + Ports + TunnelAddresses);
        var editor = harness.NewEditor();

        var (shown, status) = await EditorHarness.Run(editor, "show system interface");
        Assert.Equal(0, status);
        Assert.Equal(Ports.Replace("end\n", "", StringComparison.Ordinal) + TunnelAddresses["config system interface\n".Length..], shown);

        // An entry of the second block is found too.
        var (entry, entryStatus) = await EditorHarness.Run(editor, "show system interface to-branch");
        Assert.Equal(0, entryStatus);
        Assert.Equal(TunnelAddresses, entry);
    }

    [Fact]
    public async Task RenamingAPhase1Interface_WhoseTunnelAddressesAreInAKeptSystemInterfaceEntry_IsRefused_NothingChanges()
    {
        using var harness = new EditorHarness(BaseConfiguration.Text + "\n" + TunnelAddresses);
        Assert.NotNull(harness.Current.FindTunnelInterface("to-branch"));
        var editor = harness.NewEditor();

        var (output, status) = await EditorHarness.Run(editor, "config vpn ipsec phase1-interface", "rename to-branch to to-paris");
        Assert.Equal(EditError.InUse, status);
        Assert.Contains("cannot be renamed alone: delete that entry first (config system interface, delete \"to-branch\", end)", output, StringComparison.Ordinal);
        var (_, endStatus) = await EditorHarness.Run(editor, "end");
        Assert.Equal(0, endStatus);
        Assert.NotNull(harness.Current.FindPhase1("to-branch"));
        Assert.Null(harness.Current.FindPhase1("to-paris"));
        Assert.NotNull(harness.Current.FindTunnelInterface("to-branch"));

        // A phase1-interface without such an entry is renamed as before.
        var (_, renamed) = await EditorHarness.Run(editor, "config vpn ipsec phase1-interface", "rename dialup to dialup2", "end");
        Assert.Equal(0, renamed);
        Assert.NotNull(harness.Current.FindPhase1("dialup2"));
    }

    [Fact]
    public async Task DeletingAPhase1Interface_WhoseTunnelAddressesAreInAKeptSystemInterfaceEntry_IsRefused_NothingChanges()
    {
        // dialup has no phase 2, route or policy: only the kept entry holds it.
        var dialUpAddresses = TunnelAddresses.Replace("edit \"to-branch\"", "edit \"dialup\"", StringComparison.Ordinal);
        using var harness = new EditorHarness(BaseConfiguration.Text + "\n" + dialUpAddresses);
        Assert.NotNull(harness.Current.FindTunnelInterface("dialup"));
        var editor = harness.NewEditor();

        var (output, status) = await EditorHarness.Run(editor, "config vpn ipsec phase1-interface", "delete dialup");
        Assert.Equal(EditError.InUse, status);
        Assert.Contains("system interface \"dialup\"", output, StringComparison.Ordinal);
        Assert.Contains("delete that entry first (config system interface, delete \"dialup\", end), then delete the phase1-interface", output, StringComparison.Ordinal);
        var (_, endStatus) = await EditorHarness.Run(editor, "end");
        Assert.Equal(0, endStatus);
        Assert.NotNull(harness.Current.FindPhase1("dialup"));
        Assert.NotNull(harness.Current.FindTunnelInterface("dialup"));

        // As the message says: the system interface entry first, then the phase1-interface.
        var (steps, stepsStatus) = await EditorHarness.Run(editor, "config system interface", "delete dialup", "end", "config vpn ipsec phase1-interface", "delete dialup", "end");
        Assert.True(stepsStatus == 0, steps);
        Assert.Null(harness.Current.FindPhase1("dialup"));
        Assert.Null(harness.Current.FindTunnelInterface("dialup"));

        // Without such an entry the same phase 1 is deleted as before.
        using var plain = new EditorHarness(BaseConfiguration.Text);
        var (_, deleted) = await EditorHarness.Run(plain.NewEditor(), "config vpn ipsec phase1-interface", "delete dialup", "end");
        Assert.Equal(0, deleted);
        Assert.Null(plain.Current.FindPhase1("dialup"));
    }

    public void Dispose() => _harness.Dispose();
}
