using SharpSwan.Interop.Tests.Harness;

namespace SharpSwan.Interop.Tests;

/// <summary>
/// Issue 11 item 13: the gateway holds only CAP_NET_ADMIN, CAP_NET_RAW and CAP_NET_BIND_SERVICE (0x3400) and runs as an
/// unprivileged user, whether it drops root itself (<c>run --user nobody</c> started as root) or is started as that user
/// with those capabilities (as systemd's unit does), and still carries traffic to strongSwan and creates a new tunnel
/// interface for a live configuration change.
/// </summary>
public sealed class LeastPrivilegeInteropTests
{
    private const string KeptCapabilities = "0000000000003400";
    private const string User = "nobody";
    private const string UserId = "65534";

    [Fact]
    public void Started_as_root_with_a_user_the_gateway_becomes_it_with_only_its_three_capabilities()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(Started_as_root_with_a_user_the_gateway_becomes_it_with_only_its_three_capabilities));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, scenario.BranchConnection(), "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(
            scenario.A, scenario.HeadquartersConfig(), "A", launch: new GatewayLaunch([], ["--user", User], User));
        BringUpAndPing(scenario, gateway, branch);

        var status = Status(gateway.ProcessId);
        foreach (var set in new[] { "CapEff", "CapPrm", "CapInh", "CapBnd", "CapAmb" })
        {
            scenario.Require(status.GetValueOrDefault(set) == KeptCapabilities, $"{set} is {KeptCapabilities}; /proc status:\n{Describe(status)}");
        }

        scenario.Require(status.GetValueOrDefault("Uid") == string.Join('\t', Enumerable.Repeat(UserId, 4)), $"every uid is {User}'s; /proc status:\n{Describe(status)}");
        scenario.Require(status.GetValueOrDefault("Groups") is not { } groups || !groups.Split(' ').Contains("0"), $"no supplementary group 0 is kept; /proc status:\n{Describe(status)}");
        RequireLiveChangeCreatesInterface(scenario, gateway);
    }

    [Fact]
    public void Started_as_a_user_holding_the_three_capabilities_the_gateway_runs()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(Started_as_a_user_holding_the_three_capabilities_the_gateway_runs));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, scenario.BranchConnection(), "B");
        const string capabilities = "+net_admin,+net_raw,+net_bind_service";
        string[] setpriv = ["setpriv", $"--reuid={User}", "--regid=nogroup", "--clear-groups", $"--inh-caps={capabilities}", $"--ambient-caps={capabilities}"];
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, scenario.HeadquartersConfig(), "A", launch: new GatewayLaunch(setpriv, [], User));
        BringUpAndPing(scenario, gateway, branch);

        var status = Status(gateway.ProcessId);
        scenario.Require(status.GetValueOrDefault("CapEff") == KeptCapabilities, $"CapEff is {KeptCapabilities}; /proc status:\n{Describe(status)}");
        scenario.Require(status.GetValueOrDefault("Uid")?.Split('\t')[1] == UserId, $"the effective uid is {User}'s; /proc status:\n{Describe(status)}");
        RequireLiveChangeCreatesInterface(scenario, gateway);
    }

    private static void BringUpAndPing(InteropScenario scenario, SharpSwanGateway gateway, StrongSwanPeer branch)
    {
        gateway.Cli("diagnose vpn tunnel up to-branch-p2 to-branch");
        scenario.WaitForChildSa(branch, gateway, TimeSpan.FromSeconds(30), "strongSwan lists an INSTALLED CHILD_SA");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
    }

    /// <summary>A new phase 1 through the CLI: the gateway creates its TUN interface and saves the file with the reduced rights.</summary>
    private static void RequireLiveChangeCreatesInterface(InteropScenario scenario, SharpSwanGateway gateway)
    {
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
        scenario.Require(change.Succeeded, $"the live change applies with the reduced capabilities; got {change.Describe()}");
        scenario.WaitFor(
            () => scenario.A.Exec("ip", "link", "show", "to-spare").Succeeded,
            TimeSpan.FromSeconds(10),
            "the new tunnel interface to-spare exists in namespace A");
        scenario.Require(
            File.ReadAllText(gateway.ConfigPath).Contains("edit \"to-spare\"", StringComparison.Ordinal),
            "the change is saved to the configuration file");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
    }

    private static Dictionary<string, string> Status(int pid) =>
        File.ReadLines($"/proc/{pid}/status")
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1].Trim(), StringComparer.Ordinal);

    private static string Describe(Dictionary<string, string> status) =>
        string.Join('\n', status.Where(s => s.Key.StartsWith("Cap", StringComparison.Ordinal) || s.Key is "Uid" or "Gid" or "Groups").Select(s => $"{s.Key}: {s.Value}"));
}
