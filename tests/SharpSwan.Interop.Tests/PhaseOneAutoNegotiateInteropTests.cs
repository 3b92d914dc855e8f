using SharpSwan.Interop.Tests.Harness;

namespace SharpSwan.Interop.Tests;

/// <summary>
/// Issue 11 item 15 against strongSwan (which never initiates here): phase 1 <c>auto-negotiate enable</c> brings the tunnel
/// up at start with no phase 2 auto-negotiate, no traffic and no CLI; <c>disable</c> leaves it down.
/// </summary>
public sealed class PhaseOneAutoNegotiateInteropTests
{
    private static readonly TimeSpan EstablishTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void Enable_BringsTheTunnelUpAtStart_WithoutAPhase2ThatAsks()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(Enable_BringsTheTunnelUpAtStart_WithoutAPhase2ThatAsks));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, scenario.BranchConnection() with { StartAction = "none" }, "B");
        scenario.StartSharpSwan(scenario.A, scenario.HeadquartersConfig() with { Phase1AutoNegotiate = true, Phase2AutoNegotiate = false }, "A");

        scenario.WaitFor(
            () => branch.ListSas().Contains("ESTABLISHED", StringComparison.Ordinal) && branch.InstalledChildSas().Count == 1,
            EstablishTimeout,
            "phase 1 auto-negotiate alone brings the IKE SA (and the child riding in IKE_AUTH) up: strongSwan lists ESTABLISHED and INSTALLED");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
    }

    [Fact]
    public void Disable_LeavesTheTunnelDown_WithoutTrafficOrAPhase2ThatAsks()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(Disable_LeavesTheTunnelDown_WithoutTrafficOrAPhase2ThatAsks));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, scenario.BranchConnection() with { StartAction = "none" }, "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, scenario.HeadquartersConfig() with { Phase1AutoNegotiate = false, Phase2AutoNegotiate = false }, "A");

        Thread.Sleep(TimeSpan.FromSeconds(8));
        scenario.Require(!branch.ListSas().Contains("ESTABLISHED", StringComparison.Ordinal), $"no IKE SA after 8 s without traffic; strongSwan lists:\n{branch.ListSas()}");

        // The same tunnel still comes up when asked, so the silence above is the setting, not a broken tunnel.
        gateway.Cli("diagnose vpn tunnel up to-branch-p2 to-branch");
        scenario.WaitFor(() => branch.InstalledChildSas().Count == 1, EstablishTimeout, "the tunnel comes up when asked");
    }
}
