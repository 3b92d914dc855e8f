using SharpSwan.Interop.Tests.Harness;

namespace SharpSwan.Interop.Tests;

/// <summary>
/// Issue 11 item 15, <c>esn</c>. Against strongSwan's kernel-libipsec, which has no ESN: <c>esn allow</c> comes up with
/// 32-bit sequence numbers and carries traffic, <c>esn require</c> gets no child SA and the event log says why in a field
/// of its own. SharpSwan to SharpSwan (a gateway in each namespace): <c>esn require</c> comes up with 64-bit sequence
/// numbers on both sides and carries pings (the 2^32 boundary itself is crossed in EsnScenarios, on a virtual clock).
/// </summary>
public sealed class EsnInteropTests
{
    /// <summary>The event log's record fields for a phase 2 error (FortiOS log id 0101037123) caused by our esn require.</summary>
    private const string Phase2ErrorRecord = "logid=\"0101037123\"";
    private const string EsnRequireField = "esn=\"require\"";

    [Fact]
    public void EsnAllow_ComesUpWithoutEsn_AndCarriesTraffic()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(EsnAllow_ComesUpWithoutEsn_AndCarriesTraffic));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, scenario.BranchConnection(), "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, scenario.HeadquartersConfig() with { Esn = "allow" }, "A");
        gateway.Cli("diagnose vpn tunnel up to-branch-p2 to-branch");
        scenario.WaitForChildSa(branch, gateway, TimeSpan.FromSeconds(30), "strongSwan lists an INSTALLED CHILD_SA");

        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        var list = gateway.Cli("diagnose vpn tunnel list name to-branch");
        scenario.Require(list.Contains(" esn=0 ", StringComparison.Ordinal), $"the SA has 32-bit sequence numbers (esn=0); got:\n{list}");
        scenario.Require(!branch.ListSas().Contains("ESN", StringComparison.Ordinal), $"strongSwan's CHILD_SA has no ESN; it lists:\n{branch.ListSas()}");
    }

    [Fact]
    public void EsnRequire_AgainstStrongSwan_GetsNoChildSa_AndTheEventLogSaysEsnRequire()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(EsnRequire_AgainstStrongSwan_GetsNoChildSa_AndTheEventLogSaysEsnRequire));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, scenario.BranchConnection(), "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, scenario.HeadquartersConfig() with { Esn = "require" }, "A");
        var eventFile = Path.ChangeExtension(gateway.ConfigPath, ".events.log");
        gateway.Cli("diagnose vpn tunnel up to-branch-p2 to-branch");

        scenario.WaitFor(
            () => File.Exists(eventFile) && File.ReadLines(eventFile).Any(line => line.Contains(Phase2ErrorRecord, StringComparison.Ordinal) && line.Contains(EsnRequireField, StringComparison.Ordinal)),
            TimeSpan.FromSeconds(20),
            "SharpSwan's event log has a phase 2 error record with esn=\"require\"");
        scenario.Require(branch.InstalledChildSas().Count == 0, "strongSwan installed no CHILD_SA");
        var list = gateway.Cli("diagnose vpn tunnel list name to-branch");
        scenario.Require(FortiOsOutput.ProxyIdSaState(list, "to-branch-p2") is null or 0, $"SharpSwan has no phase 2 SA; got:\n{list}");
    }

    [Fact]
    public void EsnRequire_SharpSwanToSharpSwan_ComesUpWith64BitSequenceNumbers_AndCarriesPings()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(EsnRequire_SharpSwanToSharpSwan_ComesUpWith64BitSequenceNumbers_AndCarriesPings));
        var headquarters = scenario.HeadquartersConfig() with { Esn = "require" };
        var branchConfig = headquarters with
        {
            RemoteGateway = TwoSiteTopology.WanAddressA,
            LocalSubnet = headquarters.RemoteSubnet,
            RemoteSubnet = headquarters.LocalSubnet,
        };
        SharpSwanGateway branch = scenario.StartSharpSwan(scenario.B, branchConfig, "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, headquarters, "A");
        gateway.Cli("diagnose vpn tunnel up to-branch-p2 to-branch");
        scenario.WaitFor(
            () => FortiOsOutput.ProxyIdSaState(branch.Cli("diagnose vpn tunnel list name to-branch"), "to-branch-p2") is > 0,
            TimeSpan.FromSeconds(20),
            "the branch SharpSwan has a phase 2 SA");

        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA);
        foreach (var side in new[] { gateway, branch })
        {
            var list = side.Cli("diagnose vpn tunnel list name to-branch");
            scenario.Require(list.Contains(" esn=1 ", StringComparison.Ordinal), $"the SA has extended sequence numbers (esn=1); got:\n{list}");
        }
    }
}
