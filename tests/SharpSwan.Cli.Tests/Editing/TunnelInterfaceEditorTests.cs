using System.Net;
using SharpSwan.Config.Editing;
using SharpSwan.Config.Tests.Editing;

namespace SharpSwan.Cli.Tests.Editing;

/// <summary>
/// <c>config system interface</c> in the CLI: the entries of phase1-interfaces take their tunnel addresses and MTU
/// there, as on a FortiGate; every other entry stays as the file wrote it.
/// </summary>
public sealed class TunnelInterfaceEditorTests
{
    private const string Port1 = "    edit \"port1\"\n        set vdom \"root\"\n        set ip 192.0.2.1 255.255.255.0\n        set allowaccess ping https ssh\n        set type physical\n        set alias \"wan\"\n    next\n";

    private const string WithPorts = "config system interface\n" + Port1 + "end\n";

    private const string WithTunnel = "config system interface\n" + Port1
        + "    edit \"to-branch\"\n        set vdom \"root\"\n        set allowaccess ping\n        set type tunnel\n        set ip 169.254.21.2 255.255.255.255\n        set remote-ip 169.254.21.1 255.255.255.252\n        set interface \"eth0\"\n        set description \"to the branch\"\n    next\nend\n";

    [Fact]
    public async Task NewEntry_TakesIpRemoteIpAndMtu_AndTheWrittenFileReloadsToTheSame()
    {
        using var harness = new EditorHarness(BaseConfiguration.Text + "\n" + WithPorts);
        var editor = harness.NewEditor();

        var (output, status) = await EditorHarness.Run(editor,
            "config system interface",
            "edit to-branch",
            "set ip 169.254.1.1 255.255.255.255",
            "set remote-ip 169.254.1.2 255.255.255.252",
            "set mtu-override enable",
            "set mtu 1400",
            "next",
            "end");
        Assert.True(status == 0, output);
        Assert.Contains("new entry 'to-branch' added", output, StringComparison.Ordinal);

        var tunnel = harness.Current.FindTunnelInterface("to-branch");
        Assert.NotNull(tunnel);
        Assert.Equal(IPAddress.Parse("169.254.1.1"), tunnel.Local);
        Assert.Equal(IPAddress.Parse("169.254.1.2"), tunnel.Remote);
        Assert.Equal(30, tunnel.PrefixLength);
        Assert.Equal(1400, tunnel.Mtu);

        var written = ConfigurationWriter.Write(harness.Current, fullConfiguration: false);
        Assert.Contains(
            "    edit \"to-branch\"\n        set vdom \"root\"\n        set type tunnel\n        set interface \"eth0\"\n        set ip 169.254.1.1 255.255.255.255\n        set remote-ip 169.254.1.2 255.255.255.252\n        set mtu-override enable\n        set mtu 1400\n    next\n",
            written,
            StringComparison.Ordinal);

        // The physical port stays exactly as written, before the new entry.
        Assert.Contains("config system interface\n" + Port1 + "    edit \"to-branch\"", written, StringComparison.Ordinal);
        var reloaded = ConfigurationLoader.Parse(written, "written.conf");
        Assert.True(reloaded.IsValid, string.Join("\n", reloaded.Errors));
        Assert.Equal(harness.Current, reloaded.Configuration);
    }

    [Fact]
    public async Task EditingAnEntryOfTheFile_KeepsItsOtherLinesAndTheirOrder()
    {
        // As the file wrote it: interface unquoted, a setting SharpSwan does not apply, a nested block after the set lines.
        const string Written = "    edit \"to-branch\"\n        set vdom \"root\"\n        set allowaccess ping\n        set type tunnel\n        set ip 169.254.21.2 255.255.255.255\n        set remote-ip 169.254.21.1 255.255.255.252\n        set interface eth0\n        set alias \"branch\"\n        set description \"to the branch\"\n        config ipv6\n            set ip6-mode static\n        end\n    next\n";
        using var harness = new EditorHarness(BaseConfiguration.Text + "\nconfig system interface\n" + Port1 + Written + "end\n");
        var editor = harness.NewEditor();

        var (output, status) = await EditorHarness.Run(editor, "config system interface", "edit to-branch", "set ip 169.254.21.6 255.255.255.255", "unset description", "set mtu-override enable", "set mtu 1380", "end");
        Assert.True(status == 0, output);
        Assert.DoesNotContain("new entry", output, StringComparison.Ordinal);

        var written = ConfigurationWriter.Write(harness.Current, fullConfiguration: false);
        Assert.Contains(
            "config system interface\n" + Port1
            + "    edit \"to-branch\"\n        set vdom \"root\"\n        set allowaccess ping\n        set type tunnel\n        set ip 169.254.21.6 255.255.255.255\n        set remote-ip 169.254.21.1 255.255.255.252\n        set interface eth0\n        set alias \"branch\"\n        set mtu-override enable\n        set mtu 1380\n        config ipv6\n            set ip6-mode static\n        end\n    next\nend\n",
            written,
            StringComparison.Ordinal);
        Assert.Equal(IPAddress.Parse("169.254.21.6"), harness.Current.FindTunnelInterface("to-branch")!.Local);
        Assert.Equal(1380, harness.Current.FindTunnelInterface("to-branch")!.Mtu);
    }

    [Theory]
    [InlineData("set ip 169.254.1.300 255.255.255.255", "169.254.1.300")]
    [InlineData("set ip 169.254.1.1 255.0.255.0", "255.0.255.0")]
    [InlineData("set remote-ip 169.254.1.2/33", "169.254.1.2/33")]
    [InlineData("set mtu 100", "mtu 100")]
    [InlineData("set mtu 65536", "mtu 65536")]
    [InlineData("set mtu-override maybe", "mtu-override maybe")]
    public async Task ABadValue_IsRefusedWhenTyped_NamingFieldAndValue_AndNothingChanges(string line, string named)
    {
        using var harness = new EditorHarness(BaseConfiguration.Text + "\n" + WithTunnel);
        var editor = harness.NewEditor();

        var (output, status) = await EditorHarness.Run(editor, "config system interface", "edit to-branch", line);
        Assert.Equal(EditError.BadValue, status);
        Assert.Contains(named, output, StringComparison.Ordinal);
        var field = line.Split(' ')[1];
        Assert.Contains($"node_check_object fail! for {field} ", output, StringComparison.Ordinal);

        await harness.EndAppliesNothing(editor);
    }

    [Fact]
    public async Task AnAddressRefusedOnlyWithTheOtherField_IsRefusedOnEnd_NamingIt()
    {
        using var harness = new EditorHarness(BaseConfiguration.Text + "\n" + WithPorts);
        var editor = harness.NewEditor();

        // remote-ip without ip waits (the administrator may be about to set ip); end refuses it.
        var (output, status) = await EditorHarness.Run(editor, "config system interface", "edit to-branch", "set remote-ip 169.254.1.2 255.255.255.252", "end");
        Assert.True(EditError.MustBeSet == status, output);
        Assert.Contains("Attribute 'ip' MUST be set.", output, StringComparison.Ordinal);
        Assert.Contains("config system interface > edit \"to-branch\" > set remote-ip:", output, StringComparison.Ordinal);
        Assert.Empty(harness.Applied);

        // ip's mask must match remote-ip's: next refuses it, naming ip and the mask, and keeps the entry open.
        var (mask, maskStatus) = await EditorHarness.Run(editor, "set ip 169.254.1.1 255.255.255.0", "next");
        Assert.True(EditError.BadValue == maskStatus, mask);
        Assert.Contains("node_check_object fail! for ip 255.255.255.0", mask, StringComparison.Ordinal);
        Assert.Equal("sharpswan (to-branch) # ", editor.Prompt);
        var (fixedUp, fixedStatus) = await EditorHarness.Run(editor, "set ip 169.254.1.1 255.255.255.255", "next", "end");
        Assert.True(fixedStatus == 0, fixedUp);
        Assert.Equal(IPAddress.Parse("169.254.1.2"), harness.Current.FindTunnelInterface("to-branch")!.Remote);
    }

    [Fact]
    public async Task AValueKeptButNotApplied_IsAcceptedWithAWarningSayingSo()
    {
        using var harness = new EditorHarness(BaseConfiguration.Text + "\n" + WithTunnel);
        var editor = harness.NewEditor();

        var (mtu, status) = await EditorHarness.Run(editor, "config system interface", "edit to-branch", "set mtu 1400");
        Assert.Equal(0, status);
        Assert.Contains("warning: config system interface edit \"to-branch\": mtu 1400 is kept but not applied because mtu-override is not enabled", mtu, StringComparison.Ordinal);
        var (vdom, _) = await EditorHarness.Run(editor, "set vdom other");
        Assert.Contains("warning: config system interface edit \"to-branch\": vdom other is kept but not applied", vdom, StringComparison.Ordinal);
        var (enabled, _) = await EditorHarness.Run(editor, "set mtu-override enable");
        Assert.DoesNotContain("warning", enabled, StringComparison.Ordinal);
        var (disabled, _) = await EditorHarness.Run(editor, "set mtu-override disable");
        Assert.Contains("mtu 1400 is kept but not applied", disabled, StringComparison.Ordinal);
        var (ip, _) = await EditorHarness.Run(editor, "set ip 169.254.21.6/32");
        Assert.DoesNotContain("warning", ip, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditOfAnInterfaceThatIsNotAPhase1Interface_IsRefused_SayingWhy()
    {
        using var harness = new EditorHarness(BaseConfiguration.Text + "\n" + WithPorts);
        var editor = harness.NewEditor();

        var (output, status) = await EditorHarness.Run(editor, "config system interface", "edit port1");
        Assert.Equal(EditError.NotFound, status);
        Assert.Contains("\"port1\" is not a phase1-interface", output, StringComparison.Ordinal);
        Assert.Contains("kept as written: change it in the configuration file", output, StringComparison.Ordinal);
        Assert.Equal("sharpswan (interface) # ", editor.Prompt);

        // Nor may it be deleted, and a new name that is no tunnel is refused the same way.
        var (_, deleted) = await EditorHarness.Run(editor, "delete port1");
        Assert.Equal(EditError.NotFound, deleted);
        var (_, created) = await EditorHarness.Run(editor, "edit port2");
        Assert.Equal(EditError.NotFound, created);
        await harness.EndAppliesNothing(editor);
    }

    [Fact]
    public async Task EditOfAPhase1InterfacesEntryOfAnotherType_IsRefused_AndTheEntryStaysAsWritten()
    {
        var physical = WithTunnel.Replace("set type tunnel", "set type physical", StringComparison.Ordinal);
        using var harness = new EditorHarness(BaseConfiguration.Text + "\n" + physical);
        Assert.Null(harness.Current.FindTunnelInterface("to-branch"));

        var editor = harness.NewEditor();
        var (output, status) = await EditorHarness.Run(editor, "config system interface", "edit to-branch");
        Assert.Equal(EditError.ParseError, status);
        Assert.Contains("entry \"to-branch\" is type physical, not tunnel", output, StringComparison.Ordinal);
        Assert.Equal("sharpswan (interface) # ", editor.Prompt);
        await harness.EndAppliesNothing(editor);
    }

    [Fact]
    public async Task AnEntryAnotherSessionChangedMeanwhile_IsRefusedOnEnd_NotOverwritten()
    {
        using var harness = new EditorHarness(BaseConfiguration.Text + "\n" + WithTunnel);
        var first = harness.NewEditor();
        var second = harness.NewEditor();
        await EditorHarness.Run(first, "config system interface", "edit to-branch", "set mtu-override enable", "set mtu 1380");

        var (_, secondStatus) = await EditorHarness.Run(second, "config system interface", "edit to-branch", "set ip 169.254.21.6/32", "end");
        Assert.Equal(0, secondStatus);
        var (output, status) = await EditorHarness.Run(first, "end");
        Assert.NotEqual(0, status);
        Assert.Contains("entry 'to-branch' of config system interface was changed by another session", output, StringComparison.Ordinal);
        Assert.Equal(IPAddress.Parse("169.254.21.6"), harness.Current.FindTunnelInterface("to-branch")!.Local);
        Assert.Null(harness.Current.FindTunnelInterface("to-branch")!.Mtu);
    }

    [Theory]
    [InlineData("set alias wan")]
    [InlineData("set status down")]
    [InlineData("set type physical")]
    [InlineData("unset type")]
    public async Task AFieldSharpSwanDoesNotApply_IsRefused_SayingWhy(string line)
    {
        using var harness = new EditorHarness(BaseConfiguration.Text + "\n" + WithTunnel);
        var editor = harness.NewEditor();

        var (output, status) = await EditorHarness.Run(editor, "config system interface", "edit to-branch", line);
        Assert.Equal(EditError.ParseError, status);
        Assert.Contains(line.StartsWith("set type", StringComparison.Ordinal) || line == "unset type" ? "type of a phase1-interface's entry is tunnel" : "kept as written and not applied: change them in the configuration file", output, StringComparison.Ordinal);
        await harness.EndAppliesNothing(editor);
    }

    [Fact]
    public async Task Delete_RemovesTheEntry_AndTheTunnelHasNoAddressesAgain()
    {
        using var harness = new EditorHarness(BaseConfiguration.Text + "\n" + WithTunnel);
        Assert.NotNull(harness.Current.FindTunnelInterface("to-branch"));
        var editor = harness.NewEditor();

        var (output, status) = await EditorHarness.Run(editor, "config system interface", "delete to-branch", "end");
        Assert.True(status == 0, output);
        Assert.Null(harness.Current.FindTunnelInterface("to-branch"));
        var written = ConfigurationWriter.Write(harness.Current, fullConfiguration: false);
        Assert.Contains(WithPorts, written, StringComparison.Ordinal);
        Assert.DoesNotContain("to-branch\"\n        set vdom", written, StringComparison.Ordinal);

        // Then the phase1-interface itself may go (its phase 2 and route first).
        var (_, deleted) = await EditorHarness.Run(editor,
            "config router static", "delete 1", "end",
            "config vpn ipsec phase2-interface", "delete to-branch-p2", "end",
            "config vpn ipsec phase1-interface", "delete to-branch", "end");
        Assert.Equal(0, deleted);
        Assert.Null(harness.Current.FindPhase1("to-branch"));
    }

    [Fact]
    public async Task TheLastEntryDeleted_LeavesNoEmptyBlock()
    {
        var onlyTunnel = WithTunnel.Replace(Port1, "", StringComparison.Ordinal);
        using var harness = new EditorHarness(BaseConfiguration.Text + "\n" + onlyTunnel);
        var (output, status) = await EditorHarness.Run(harness.NewEditor(), "config system interface", "delete to-branch", "end");
        Assert.True(status == 0, output);
        Assert.Empty(harness.Current.KeptTables);
        Assert.DoesNotContain("system interface", ConfigurationWriter.Write(harness.Current, fullConfiguration: false), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShowAndGet_PrintTheEntry()
    {
        using var harness = new EditorHarness(BaseConfiguration.Text + "\n" + WithPorts);
        var editor = harness.NewEditor();
        await EditorHarness.Run(editor, "config system interface", "edit to-branch", "set ip 169.254.1.1/32");
        var (shown, status) = await EditorHarness.Run(editor, "show");
        Assert.Equal(0, status);
        Assert.Equal("config system interface\n    edit \"to-branch\"\n        set vdom \"root\"\n        set type tunnel\n        set interface \"eth0\"\n        set ip 169.254.1.1/32\n    next\nend\n", shown);

        var (got, getStatus) = await EditorHarness.Run(editor, "get");
        Assert.Equal(0, getStatus);
        Assert.Contains("ip                  : 169.254.1.1/32\n", got, StringComparison.Ordinal);

        var (_, end) = await EditorHarness.Run(editor, "end");
        Assert.Equal(0, end);
        var (port, portStatus) = await EditorHarness.Run(editor, "show system interface port1");
        Assert.Equal(0, portStatus);
        Assert.Equal(WithPorts, port);
    }

    [Fact]
    public async Task Abort_DropsTheEntrysChanges_AndANewEntry()
    {
        using var harness = new EditorHarness(BaseConfiguration.Text + "\n" + WithPorts);
        var editor = harness.NewEditor();

        var (output, status) = await EditorHarness.Run(editor, "config system interface", "edit to-branch", "set ip 169.254.1.1/32", "abort", "show");
        Assert.Equal(0, status);
        Assert.Equal(WithPorts, output[output.IndexOf("config system interface", StringComparison.Ordinal)..]);
        await harness.EndAppliesNothing(editor);
        Assert.Null(harness.Current.FindTunnelInterface("to-branch"));
    }

    [Fact]
    public async Task TableCommandsThatWouldTouchOtherEntriesOrRenameATunnel_AreRefused()
    {
        using var harness = new EditorHarness(BaseConfiguration.Text + "\n" + WithTunnel);
        var editor = harness.NewEditor();
        foreach (var line in (string[])["purge", "rename to-branch to other", "clone to-branch to other", "move to-branch before port1"])
        {
            var (output, status) = await EditorHarness.Run(editor, "config system interface", line, "abort");
            Assert.Contains("is not available in config system interface", output, StringComparison.Ordinal);
            Assert.Equal(0, status);
        }

        Assert.Empty(harness.Applied);
    }

    [Fact]
    public async Task CompletionAndHelp_ListTheFieldsAndThePhase1Interfaces()
    {
        using var harness = new EditorHarness(BaseConfiguration.Text + "\n" + WithPorts);
        var editor = harness.NewEditor();
        Assert.Contains("interface", editor.Complete("config system "));
        await EditorHarness.Run(editor, "config system interface");
        Assert.Equal(["to-branch", "dialup"], editor.Complete("edit "));
        await EditorHarness.Run(editor, "edit to-branch");

        var fields = editor.Complete("set ");
        foreach (var field in (string[])["ip", "remote-ip", "mtu-override", "mtu", "vdom", "type", "interface", "allowaccess", "description"])
        {
            Assert.Contains(field, fields);
        }

        Assert.DoesNotContain("alias", fields);
        var help = editor.Help("set ");
        Assert.Contains("mtu                     the TUN device's MTU (with mtu-override enable) (576-9216)", help, StringComparison.Ordinal);
        Assert.Contains("remote-ip               the peer's end of a point-to-point tunnel address", help, StringComparison.Ordinal);
        Assert.Equal(["enable", "disable"], editor.Complete("set mtu-override "));
        Assert.Equal(["tunnel"], editor.Complete("set type "));
    }
}
