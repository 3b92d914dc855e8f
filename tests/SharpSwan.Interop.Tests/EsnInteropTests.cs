using SharpSwan.Interop.Tests.Harness;

namespace SharpSwan.Interop.Tests;

/// <summary>
/// Issue 11 item 15, <c>esn</c> against strongSwan's kernel-libipsec, which has no ESN: <c>esn allow</c> comes up with
/// 32-bit sequence numbers and carries traffic (<c>esn require</c> is refused when the configuration loads, with the
/// reason: SettingsWalkTests).
/// </summary>
public sealed class EsnInteropTests
{
    [Fact]
    public void EsnAllow_ComesUpWithoutEsn_AndCarriesTraffic()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(EsnAllow_ComesUpWithoutEsn_AndCarriesTraffic));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, scenario.BranchConnection(), "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, scenario.HeadquartersConfig() with { Esn = "allow" }, "A");
        gateway.Cli("diagnose vpn tunnel up to-branch-p2 to-branch");
        scenario.WaitFor(() => branch.InstalledChildSas().Count > 0, TimeSpan.FromSeconds(30), "strongSwan lists an INSTALLED CHILD_SA");

        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        var list = gateway.Cli("diagnose vpn tunnel list name to-branch");
        scenario.Require(list.Contains(" esn=0 ", StringComparison.Ordinal), $"the SA has 32-bit sequence numbers (esn=0); got:\n{list}");
        scenario.Require(!branch.ListSas().Contains("ESN", StringComparison.Ordinal), $"strongSwan's CHILD_SA has no ESN; it lists:\n{branch.ListSas()}");
    }
}
