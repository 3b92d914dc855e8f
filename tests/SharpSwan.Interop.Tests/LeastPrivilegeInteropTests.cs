using SharpSwan.Interop.Tests.Harness;

namespace SharpSwan.Interop.Tests;

/// <summary>
/// Issue 11 item 13: started as root (and with no <c>sharpswan</c> user on the host), the gateway keeps only
/// CAP_NET_ADMIN, CAP_NET_RAW and CAP_NET_BIND_SERVICE (0x3400) in its effective, permitted and bounding sets, and still
/// carries traffic to strongSwan and creates a new tunnel interface for a live configuration change.
/// </summary>
public sealed class LeastPrivilegeInteropTests
{
    private const string KeptCapabilities = "0000000000003400";

    [Fact]
    public void Started_as_root_the_gateway_keeps_only_its_three_capabilities_and_still_works()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(Started_as_root_the_gateway_keeps_only_its_three_capabilities_and_still_works));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, scenario.BranchConnection(), "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, scenario.HeadquartersConfig(), "A");
        gateway.Cli("diagnose vpn tunnel up to-branch-p2 to-branch");
        scenario.WaitFor(() => branch.InstalledChildSas().Count > 0, TimeSpan.FromSeconds(30), "strongSwan lists an INSTALLED CHILD_SA");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);

        var status = Status(gateway.ProcessId);
        scenario.Require(status.GetValueOrDefault("CapEff") == KeptCapabilities, $"CapEff is {KeptCapabilities}; /proc status:\n{Describe(status)}");
        scenario.Require(status.GetValueOrDefault("CapPrm") == KeptCapabilities, $"CapPrm is {KeptCapabilities}; /proc status:\n{Describe(status)}");
        scenario.Require(status.GetValueOrDefault("CapBnd") == KeptCapabilities, $"CapBnd is {KeptCapabilities}; /proc status:\n{Describe(status)}");
        scenario.Require(status.GetValueOrDefault("CapAmb") == KeptCapabilities, $"CapAmb is {KeptCapabilities} (nft inherits them); /proc status:\n{Describe(status)}");
        scenario.Require(status.GetValueOrDefault("Uid")?.Split('\t')[0] == "0", $"no sharpswan user and no --user: the uid stays 0; /proc status:\n{Describe(status)}");

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
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
    }

    private static Dictionary<string, string> Status(int pid) =>
        File.ReadLines($"/proc/{pid}/status")
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1].Trim(), StringComparer.Ordinal);

    private static string Describe(Dictionary<string, string> status) =>
        string.Join('\n', status.Where(s => s.Key.StartsWith("Cap", StringComparison.Ordinal) || s.Key is "Uid" or "Gid").Select(s => $"{s.Key}: {s.Value}"));
}
