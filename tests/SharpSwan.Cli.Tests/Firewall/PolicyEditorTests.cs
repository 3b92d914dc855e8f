using SharpSwan.Cli.Tests.Editing;
using SharpSwan.Config.Tests.Firewall;

namespace SharpSwan.Cli.Tests.Firewall;

/// <summary>Firewall policies, addresses and address groups configured from the CLI: create, show, get, move, references.</summary>
public sealed class PolicyEditorTests : IDisposable
{
    private readonly EditorHarness _harness = new(PolicyConfigText.Example);

    public void Dispose() => _harness.Dispose();

    private static string[] PolicyLines(int id, string name) =>
    [
        $"edit {id}", $"set name \"{name}\"", "set srcintf \"lan\"", "set dstintf \"eth0\"", "set srcaddr \"all\"",
        "set dstaddr \"branch-lan\"", "set action deny", "set schedule \"always\"", "set service \"ALL\"", "next",
    ];

    [Fact]
    public async Task NewPolicies_AreAppended_AndMoveBeforePutsThemFirstWithTheirIds()
    {
        var editor = _harness.NewEditor();
        var (_, status) = await EditorHarness.Run(
            editor, ["config firewall policy", .. PolicyLines(2, "two"), .. PolicyLines(3, "three"), "end"]);
        Assert.Equal(0, status);
        Assert.Equal([1L, 2L, 3L], _harness.Current.FirewallPolicies.Select(p => p.Id));

        var (_, moved) = await EditorHarness.Run(_harness.NewEditor(), "config firewall policy", "move 3 before 1", "end");
        Assert.Equal(0, moved);
        Assert.Equal([3L, 1L, 2L], _harness.Current.FirewallPolicies.Select(p => p.Id));

        var (_, after) = await EditorHarness.Run(_harness.NewEditor(), "config firewall policy", "move 3 after 2", "end");
        Assert.Equal(0, after);
        Assert.Equal([1L, 2L, 3L], _harness.Current.FirewallPolicies.Select(p => p.Id));

        var (shown, _) = await EditorHarness.Run(_harness.NewEditor(), "show firewall policy");
        Assert.True(shown.IndexOf("edit 1", StringComparison.Ordinal) < shown.IndexOf("edit 3", StringComparison.Ordinal));
        Assert.Contains("set name \"three\"", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Move_IsSeenByShowBeforeEnd_AndAbortDiscardsIt()
    {
        await EditorHarness.Run(_harness.NewEditor(), ["config firewall policy", .. PolicyLines(2, "two"), "end"]);
        var editor = _harness.NewEditor();
        var (shown, _) = await EditorHarness.Run(editor, "config firewall policy", "move 2 before 1", "show");
        Assert.True(shown.IndexOf("edit 2", StringComparison.Ordinal) < shown.IndexOf("edit 1", StringComparison.Ordinal));
        await EditorHarness.Run(editor, "abort");
        Assert.Equal([1L, 2L], _harness.Current.FirewallPolicies.Select(p => p.Id));
    }

    [Theory]
    [InlineData("move 9 before 1", -3)]
    [InlineData("move 1 beside 1", -61)]
    [InlineData("move 1 before", -160)]
    public async Task Move_WithAMissingEntryOrBadWord_IsRefused(string line, int expected)
    {
        var (_, status) = await EditorHarness.Run(_harness.NewEditor(), "config firewall policy", line);
        Assert.Equal(expected, status);
    }

    [Fact]
    public async Task UnknownAddress_IsRefusedWithFortiOsWording()
    {
        var editor = _harness.NewEditor();
        await EditorHarness.Run(editor, "config firewall policy", "edit 1");
        var (output, status) = await EditorHarness.Run(editor, "set srcaddr \"nowhere\"");
        Assert.Equal(-3, status);
        await EditorHarness.Run(editor, "next", "end");
        Assert.Contains("entry not found in datasource", output, StringComparison.Ordinal);
        Assert.Contains("\"nowhere\" is not a firewall address or addrgrp", output, StringComparison.Ordinal);
        Assert.Equal(["hq-lan"], _harness.Current.FirewallPolicies.Single().SourceAddresses.ToArray());
    }

    [Fact]
    public async Task InterfaceModeTunnelAsVpnTunnel_IsRefused()
    {
        var editor = _harness.NewEditor();
        await EditorHarness.Run(
            editor,
            "config vpn ipsec phase1-interface", "edit rb", "set interface eth0", "set ike-version 2", "set remote-gw 192.0.2.9",
            "set psksecret route-psk-secret", "end", "config firewall policy", "edit 1");
        var (output, status) = await EditorHarness.Run(editor, "set vpntunnel rb");
        Assert.Equal(-3, status);
        await EditorHarness.Run(editor, "end");
        Assert.Contains("is a phase1-interface (route-based) tunnel", output, StringComparison.Ordinal);
        Assert.Equal("to-branch", _harness.Current.FirewallPolicies.Single().VpnTunnel);
    }

    [Fact]
    public async Task DeletingAnAddressOrTunnelAPolicyUses_IsRefused()
    {
        var (address, addressStatus) = await EditorHarness.Run(_harness.NewEditor(), "config firewall address", "delete hq-lan");
        Assert.Equal(-23, addressStatus);
        Assert.Contains("firewall policy 1 (srcaddr)", address, StringComparison.Ordinal);

        var (_, tunnelStatus) = await EditorHarness.Run(_harness.NewEditor(), "config vpn ipsec phase1", "delete to-branch");
        Assert.Equal(-23, tunnelStatus);
    }

    [Fact]
    public async Task RenamingAnAddress_RenamesItInPoliciesAndGroups()
    {
        var (_, status) = await EditorHarness.Run(
            _harness.NewEditor(),
            "config firewall addrgrp", "edit lans", "set member hq-lan branch-lan", "end",
            "config firewall policy", "edit 1", "set dstaddr hq-lan branch-lan", "end",
            "config firewall address", "rename hq-lan to head-office", "end");
        Assert.Equal(0, status);
        var policy = _harness.Current.FirewallPolicies.Single();
        Assert.Equal(["head-office"], policy.SourceAddresses.ToArray());
        Assert.Equal(["head-office", "branch-lan"], policy.DestinationAddresses.ToArray());
        Assert.Equal(["head-office", "branch-lan"], _harness.Current.FirewallAddressGroups.Single().Members.ToArray());
    }

    [Fact]
    public async Task Get_ListsThePolicyFields_AndHelpOffersMove()
    {
        var (get, _) = await EditorHarness.Run(_harness.NewEditor(), "get firewall policy 1");
        Assert.Contains("vpntunnel", get, StringComparison.Ordinal);
        Assert.Contains("to-branch", get, StringComparison.Ordinal);

        var editor = _harness.NewEditor();
        await EditorHarness.Run(editor, "config firewall policy");
        Assert.Contains("move", editor.Complete("mo"));
        Assert.Contains("before", editor.Complete("move 1 b"));
    }
}
