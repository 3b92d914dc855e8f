using SharpSwan.Interop.Tests.Harness;

namespace SharpSwan.Interop.Tests;

/// <summary>
/// Live configuration through `sharpswan cli` against a running gateway with a strongSwan peer: a change applies as a
/// diff, so the tunnel it does not touch keeps its SAs (same SPIs, counters still growing), and the file is rewritten
/// with a kept revision.
/// </summary>
public sealed class LiveConfigurationInteropTests
{
    [Fact]
    public void AddingAnotherTunnel_LeavesTheRunningTunnelsSasUntouched_AndSavesTheFile()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(AddingAnotherTunnel_LeavesTheRunningTunnelsSasUntouched_AndSavesTheFile));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, scenario.BranchConnection(), "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, scenario.HeadquartersConfig(), "A");
        gateway.Cli("diagnose vpn tunnel up to-branch-p2 to-branch");
        scenario.WaitForChildSa(branch, gateway, TimeSpan.FromSeconds(30), "strongSwan lists an INSTALLED CHILD_SA");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);

        var before = gateway.Cli("diagnose vpn tunnel list name to-branch");
        var spisBefore = FortiOsOutput.EncryptSpis(before);
        scenario.Require(spisBefore.Count == 1, $"one outbound SA before the change; got:\n{before}");

        ProcessResult change = gateway.CliSession(
            "config vpn ipsec phase1-interface",
            "edit \"to-spare\"",
            $"set interface \"{TwoSiteTopology.WanInterface}\"",
            "set ike-version 2",
            "set remote-gw 203.0.113.9",
            "set proposal aes128-sha256",
            "set dhgrp 14",
            "set psksecret \"another-secret-value\"",
            "next",
            "end");
        scenario.Require(change.Succeeded, $"the config session applies; got {change.Describe()}");

        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        var after = gateway.Cli("diagnose vpn tunnel list name to-branch");
        var spisAfter = FortiOsOutput.EncryptSpis(after);
        scenario.Require(
            spisAfter.SequenceEqual(spisBefore),
            $"the untouched tunnel keeps its SA (SPIs {string.Join(',', spisBefore.Select(s => s.ToString("x8")))}); now:\n{after}");
        scenario.Require(
            gateway.Cli("get vpn ipsec tunnel summary").Contains("'to-spare'", StringComparison.Ordinal),
            "the new tunnel is live in the summary");

        var saved = File.ReadAllText(gateway.ConfigPath);
        scenario.Require(saved.Contains("edit \"to-spare\"", StringComparison.Ordinal), $"the configuration file was rewritten with the new tunnel:\n{saved}");
        scenario.Require(File.Exists(gateway.ConfigPath + ".1"), "the previous revision is kept as .1");
    }
}
