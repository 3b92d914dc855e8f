using SharpSwan.Config.Editing;

namespace SharpSwan.Cli.Tests.Editing;

/// <summary>The FortiOS configuration commands, their answers and their effect on the running configuration.</summary>
public sealed class EditorCommandTests : IDisposable
{
    private readonly EditorHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Prompts_FollowTheContext_AndUseTheConfiguredHostname()
    {
        var editor = _harness.NewEditor();
        Assert.Equal("sharpswan # ", editor.Prompt);
        await EditorHarness.Run(editor, "config vpn ipsec phase2-interface");
        Assert.Equal("sharpswan (phase2-interface) # ", editor.Prompt);
        await EditorHarness.Run(editor, "edit to-branch-p2");
        Assert.Equal("sharpswan (to-branch-p2) # ", editor.Prompt);
        await EditorHarness.Run(editor, "abort", "abort");
        Assert.Equal("sharpswan # ", editor.Prompt);

        var (_, status) = await EditorHarness.Run(editor, "config system global", "set hostname hq-gw", "end");
        Assert.Equal(0, status);
        Assert.Equal("hq-gw # ", editor.Prompt);
    }

    [Fact]
    public async Task NewEntries_AreAnnounced_AndEndAppliesThem()
    {
        var editor = _harness.NewEditor();
        var (output, status) = await EditorHarness.Run(
            editor,
            "config vpn ipsec phase1-interface",
            "edit \"to-lab\"",
            "set interface eth1",
            "set ike-version 2",
            "set remote-gw 203.0.113.9",
            "set psksecret 'lab secret value'",
            "set keylife 28800",
            "next",
            "end",
            "config vpn ipsec phase2-interface",
            "edit to-lab-p2",
            "set phase1name to-lab",
            "set dst-subnet 10.9.0.0/16",
            "end");
        Assert.Equal(0, status);
        Assert.Contains("new entry 'to-lab' added\n", output, StringComparison.Ordinal);
        Assert.Contains("new entry 'to-lab-p2' added\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Command fail", output, StringComparison.Ordinal);
        Assert.Equal(2, _harness.Applied.Count);
        var phase1 = _harness.Current.FindPhase1("to-lab")!;
        Assert.Equal(28800, phase1.KeyLifeSeconds);
        Assert.Equal(Secret.FromPlaintext("lab secret value"), phase1.PresharedKey);
        var phase2 = Assert.Single(_harness.Current.Phase2For("to-lab"));
        Assert.Equal(16, phase2.Destination.PrefixLength);
        Assert.Equal("sharpswan # ", editor.Prompt);
    }

    [Fact]
    public async Task OutOfRangeNumber_IsRefusedWithFortiOsLines_AndNotKept()
    {
        var editor = _harness.NewEditor();
        var (output, status) = await EditorHarness.Run(editor, "config vpn ipsec phase1-interface", "edit to-branch", "set keylife 100");
        Assert.Equal(-651, status);
        Assert.Equal(
            "node_check_object fail! for keylife 100\nvalue parse error before '100'\nkeylife must be 120-172800\nCommand fail. Return code -651\n",
            output);
        var (show, _) = await EditorHarness.Run(editor, "show");
        Assert.DoesNotContain("keylife", show, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("set bogus-field 1", "command parse error before 'bogus-field'", -61)]
    [InlineData("set psksecret-remote abcdefgh", "command parse error before 'psksecret-remote'", -61)]
    [InlineData("set type nonsense", "value parse error before 'nonsense'", -651)]
    [InlineData("set remote-gw 300.1.1.1", "value parse error before '300.1.1.1'", -651)]
    [InlineData("set interface \"eth0", "token line: Unmatched double quote.", -61)]
    [InlineData("set keylife", "set keylife needs a value", -160)]
    [InlineData("frobnicate", "command parse error before 'frobnicate'", -61)]
    [InlineData("set keylife 3600 7200", "command parse error before '7200'", -61)]
    public async Task BadInput_GetsTheFortiOsMessageAndReturnCode(string line, string message, int code)
    {
        var editor = _harness.NewEditor();
        await EditorHarness.Run(editor, "config vpn ipsec phase1-interface", "edit to-branch");
        var (output, status) = await EditorHarness.Run(editor, line);
        Assert.Equal(code, status);
        Assert.Contains(message + "\n", output, StringComparison.Ordinal);
        Assert.EndsWith($"Command fail. Return code {code}\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownTopLevelCommandAndPath_AreParseErrors()
    {
        var editor = _harness.NewEditor();
        var (output, status) = await EditorHarness.Run(editor, "config vpn ipsec phase3");
        Assert.Equal(-61, status);
        Assert.StartsWith("command parse error before 'phase3'\n", output, StringComparison.Ordinal);
        Assert.False(editor.IsEditing);
    }

    [Fact]
    public async Task DanglingReference_IsEntryNotFoundInDatasource()
    {
        var editor = _harness.NewEditor();
        var (output, status) = await EditorHarness.Run(editor, "config vpn ipsec phase2-interface", "edit to-branch-p2", "set phase1name nowhere");
        Assert.Equal(-3, status);
        Assert.Contains("node_check_object fail! for phase1name nowhere\nentry not found in datasource\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DialUpAutoNegotiate_IsRefusedWithTheFileCheckMessage()
    {
        const string file = """
            config vpn ipsec phase1-interface
                edit "dialup"
                    set type dynamic
                    set interface "eth0"
                    set ike-version 2
                    set psksecret "another-secret"
                next
            end
            config vpn ipsec phase2-interface
                edit "dialup-p2"
                    set phase1name "dialup"
                    set auto-negotiate enable
                next
            end
            """;
        var fileError = Assert.Single(ConfigurationLoader.Parse(file, "x.conf").Errors);

        var editor = _harness.NewEditor();
        var (output, status) = await EditorHarness.Run(
            editor, "config vpn ipsec phase2-interface", "edit dialup-p2", "set phase1name dialup", "set auto-negotiate enable");
        Assert.Equal(-651, status);
        Assert.Contains(fileError.Message + "\n", output, StringComparison.Ordinal);
        Assert.Contains(fileError.Reason + "\n", output, StringComparison.Ordinal);

        // Turning the phase 1 into a dial-up under an auto-negotiating phase 2 is caught when the change is saved.
        var other = _harness.NewEditor();
        await EditorHarness.Run(other, "config vpn ipsec phase2-interface", "edit to-branch-p2", "set auto-negotiate enable", "end");
        var (ended, endStatus) = await EditorHarness.Run(other, "config vpn ipsec phase1-interface", "edit to-branch", "set type dynamic", "end");
        Assert.Equal(-651, endStatus);
        Assert.Contains("which can never initiate, so auto-negotiate cannot be enabled", ended, StringComparison.Ordinal);
        Assert.Equal(Phase1Type.Static, _harness.Current.FindPhase1("to-branch")!.Type);
    }

    [Fact]
    public async Task End_ReportsEveryErrorAtOnce_AndAppliesNothing()
    {
        var editor = _harness.NewEditor();
        var (output, status) = await EditorHarness.Run(
            editor, "config vpn ipsec phase1-interface", "edit half-done", "set keylife 3600", "next");
        Assert.NotEqual(0, status);
        Assert.Equal("sharpswan (half-done) # ", editor.Prompt);

        (output, status) = await EditorHarness.Run(editor, "end");
        Assert.Equal(-56, status);
        Assert.Contains("Attribute 'interface' MUST be set.", output, StringComparison.Ordinal);
        Assert.Contains("Attribute 'remote-gw' MUST be set.", output, StringComparison.Ordinal);
        Assert.Contains("Attribute 'psksecret' MUST be set.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Attribute 'dpd' MUST be set.", output, StringComparison.Ordinal); // IKEv1 (the default) with its default dpd on-demand is implemented
        Assert.Contains("config vpn ipsec phase1-interface > edit \"half-done\":", output, StringComparison.Ordinal);
        Assert.Single(output.Split('\n'), l => l.StartsWith("Command fail", StringComparison.Ordinal));
        Assert.Empty(_harness.Applied);
        Assert.True(editor.IsEditing);

        (_, status) = await EditorHarness.Run(editor, "abort", "abort");
        Assert.Equal(0, status);
        Assert.False(editor.IsEditing);
        Assert.Null(_harness.Current.FindPhase1("half-done"));
    }

    [Fact]
    public async Task Unset_GoesBackToTheDefault_AndShowPrintsOnlyNonDefaults()
    {
        var editor = _harness.NewEditor();
        var (shown, _) = await EditorHarness.Run(editor, "config vpn ipsec phase1-interface", "edit to-branch", "set keylife 3600", "show");
        Assert.Contains("        set keylife 3600\n", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("set dpd ", shown, StringComparison.Ordinal);
        Assert.StartsWith("config vpn ipsec phase1-interface\n    edit \"to-branch\"\n", shown, StringComparison.Ordinal);
        Assert.Contains("        set psksecret ENC ", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("a-long-enough-secret", shown, StringComparison.Ordinal);

        var (full, _) = await EditorHarness.Run(editor, "show full-configuration");
        Assert.Contains("        set dpd on-demand\n", full, StringComparison.Ordinal);
        Assert.Contains("        set keylife 3600\n", full, StringComparison.Ordinal);

        var (afterUnset, _) = await EditorHarness.Run(editor, "unset keylife", "show full-configuration");
        Assert.Contains("        set keylife 86400\n", afterUnset, StringComparison.Ordinal);
        await EditorHarness.Run(editor, "end");
        Assert.Equal(86400, _harness.Current.FindPhase1("to-branch")!.KeyLifeSeconds);
    }

    [Fact]
    public async Task Get_PrintsFieldColonValue()
    {
        var editor = _harness.NewEditor();
        var (output, status) = await EditorHarness.Run(editor, "get vpn ipsec phase1-interface to-branch");
        Assert.Equal(0, status);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Matches(@"^name +: to-branch$", lines[0]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^remote-gw +: 198\.51\.100\.2$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^keylife +: 86400$"));

        // One column for the colons, as FortiOS aligns them.
        Assert.Single(lines.Select(l => l.IndexOf(" : ", StringComparison.Ordinal)).Distinct());

        var (table, _) = await EditorHarness.Run(editor, "get vpn ipsec phase1-interface");
        Assert.Equal("== [ to-branch ]\nname: to-branch\n== [ dialup ]\nname: dialup\n", table);
    }

    [Fact]
    public async Task AppendSelectUnselect_WorkOnLists()
    {
        var editor = _harness.NewEditor();
        await EditorHarness.Run(editor, "config vpn ipsec phase1-interface", "edit to-branch");
        await EditorHarness.Run(editor, "append proposal aes256-sha256", "select dhgrp 19 14", "unselect dhgrp 14");
        var (output, status) = await EditorHarness.Run(editor, "end");
        Assert.Equal(0, status);
        Assert.Equal("", output);
        var phase1 = _harness.Current.FindPhase1("to-branch")!;
        Assert.Equal(["aes128-sha256", "aes256-sha256"], phase1.Proposals.Select(p => p.Name));
        Assert.Equal([Crypto.DiffieHellmanGroup.Ecp256], phase1.DhGroups.AsEnumerable());

        var (refused, code) = await EditorHarness.Run(editor, "config vpn ipsec phase1-interface", "edit to-branch", "append keylife 5");
        Assert.Equal(-61, code);
        Assert.Contains("keylife takes a single value", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletingAReferencedPhase1_IsRefused_DeletingInOrderWorks()
    {
        var editor = _harness.NewEditor();
        var (output, status) = await EditorHarness.Run(editor, "config vpn ipsec phase1-interface", "delete to-branch");
        Assert.Equal(-23, status);
        Assert.Contains("vpn ipsec phase2-interface \"to-branch-p2\" (phase1name)", output, StringComparison.Ordinal);
        Assert.Contains("router static 1 (device)", output, StringComparison.Ordinal);

        (output, status) = await EditorHarness.Run(editor, "delete nothing-here");
        Assert.Equal(-3, status);
        Assert.StartsWith("entry not found in datasource\n", output, StringComparison.Ordinal);

        (_, status) = await EditorHarness.Run(
            editor,
            "abort",
            "config vpn ipsec phase2-interface",
            "delete to-branch-p2",
            "end",
            "config router static",
            "purge",
            "end",
            "config vpn ipsec phase1-interface",
            "delete to-branch",
            "end");
        Assert.Equal(0, status);
        Assert.Null(_harness.Current.FindPhase1("to-branch"));
        Assert.Empty(_harness.Current.Phase2);
        Assert.Empty(_harness.Current.StaticRoutes);
    }

    [Fact]
    public async Task Rename_CarriesReferencesAlong_Clone_Copies()
    {
        var editor = _harness.NewEditor();
        var (_, status) = await EditorHarness.Run(editor, "config vpn ipsec phase1-interface", "rename to-branch to to-paris", "clone to-paris to to-rome", "end");
        Assert.Equal(0, status);
        Assert.Null(_harness.Current.FindPhase1("to-branch"));
        Assert.Equal(IPAddressOf("198.51.100.2"), _harness.Current.FindPhase1("to-paris")!.RemoteGateway);
        Assert.Equal(IPAddressOf("198.51.100.2"), _harness.Current.FindPhase1("to-rome")!.RemoteGateway);
        Assert.Equal("to-paris", Assert.Single(_harness.Current.Phase2).Phase1Name);
        Assert.Equal("to-paris", Assert.Single(_harness.Current.StaticRoutes).Device);

        var (duplicate, code) = await EditorHarness.Run(editor, "config vpn ipsec phase1-interface", "clone to-paris to to-rome");
        Assert.Equal(-5, code);
        Assert.Contains("already exists", duplicate, StringComparison.Ordinal);
        var (tooLong, longCode) = await EditorHarness.Run(editor, "rename to-paris to a-name-longer-than-fifteen");
        Assert.Equal(-651, longCode);
        Assert.Contains("value parse error before 'a-name-longer-than-fifteen'", tooLong, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("edit \"my tunnel\"")]
    [InlineData("edit ..")]
    [InlineData("rename to-branch to a/b")]
    [InlineData("clone to-branch to hq:1")]
    public async Task APhase1InterfaceNameLinuxRefuses_IsRefusedAtOnce_NotWhenTheGatewayCreatesTheDevice(string command)
    {
        var editor = _harness.NewEditor();
        var before = _harness.Current.Phase1.Select(p => p.Name).ToList();
        var (_, status) = await EditorHarness.Run(editor, "config vpn ipsec phase1-interface", command);
        Assert.Equal(EditError.BadValue, status);

        // Still at the table, nothing added: end has nothing to apply.
        var (_, endStatus) = await EditorHarness.Run(editor, "end");
        Assert.Equal(0, endStatus);
        Assert.Equal(before, _harness.Current.Phase1.Select(p => p.Name));
    }

    [Fact]
    public async Task AbortInAnEntry_DiscardsThatEntryOnly()
    {
        var editor = _harness.NewEditor();
        await EditorHarness.Run(
            editor,
            "config vpn ipsec phase1-interface",
            "edit to-branch",
            "set keylife 7200",
            "next",
            "edit dialup",
            "set keylife 9000",
            "abort",
            "edit scratch",
            "abort");
        var (_, status) = await EditorHarness.Run(editor, "end");
        Assert.Equal(0, status);
        Assert.Equal(7200, _harness.Current.FindPhase1("to-branch")!.KeyLifeSeconds);
        Assert.Equal(86400, _harness.Current.FindPhase1("dialup")!.KeyLifeSeconds);
        Assert.Null(_harness.Current.FindPhase1("scratch"));
    }

    [Fact]
    public async Task NumberedTable_EditZeroTakesTheNextFreeId()
    {
        var editor = _harness.NewEditor();
        var (output, status) = await EditorHarness.Run(
            editor, "config router static", "edit 0", "set dst 10.3.0.0/16", "set device to-branch", "end");
        Assert.Equal(0, status);
        Assert.Contains("new entry '2' added", output, StringComparison.Ordinal);
        Assert.Equal([1, 2], _harness.Current.StaticRoutes.Select(r => r.Id));

        var (bad, code) = await EditorHarness.Run(editor, "config router static", "edit first");
        Assert.Equal(-651, code);
        Assert.Contains("value parse error before 'first'", bad, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuotesAndEscapes_AreReadAsFortiOsDoes()
    {
        var editor = _harness.NewEditor();
        var (_, status) = await EditorHarness.Run(
            editor,
            "config vpn ipsec phase1-interface",
            "edit to-branch",
            "set comments \"two words\"",
            "next",
            "edit dialup",
            @"set comments say\ \""hi\""",
            "end");
        Assert.Equal(0, status);
        Assert.Equal("two words", _harness.Current.FindPhase1("to-branch")!.Comments);
        Assert.Equal("say \"hi\"", _harness.Current.FindPhase1("dialup")!.Comments);
    }

    [Fact]
    public async Task AbbreviatedKeywordsAndFields_AreExpanded()
    {
        var editor = _harness.NewEditor();
        var (_, status) = await EditorHarness.Run(editor, "conf vpn ips phase1-int", "ed to-branch", "set negotiate-t 45", "end");
        Assert.Equal(0, status);
        Assert.Equal(45, _harness.Current.FindPhase1("to-branch")!.NegotiateTimeoutSeconds);
    }

    [Fact]
    public async Task EndWithoutChanges_DoesNotApply()
    {
        var editor = _harness.NewEditor();
        var (_, status) = await EditorHarness.Run(editor, "config vpn ipsec phase1-interface", "edit to-branch", "next", "end");
        Assert.Equal(0, status);
        Assert.Empty(_harness.Applied);
    }

    [Fact]
    public async Task Handles_ClaimsConfigShowAndConfigGets_NotDiagnostics()
    {
        var editor = _harness.NewEditor();
        Assert.True(editor.Handles("config vpn ipsec phase1-interface"));
        Assert.True(editor.Handles("show full-configuration"));
        Assert.True(editor.Handles("get router static"));
        Assert.False(editor.Handles("get vpn ipsec tunnel summary"));
        Assert.False(editor.Handles("diagnose vpn tunnel list"));
        await EditorHarness.Run(editor, "config router static");
        Assert.True(editor.Handles("diagnose vpn tunnel list"));
    }

    private static System.Net.IPAddress IPAddressOf(string text) => System.Net.IPAddress.Parse(text);
}
