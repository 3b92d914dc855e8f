using SharpSwan.Interop.Tests.Harness;

namespace SharpSwan.Interop.Tests;

/// <summary>
/// On-demand negotiation against strongSwan: by default the packet that triggers negotiation is dropped (FortiOS's
/// behaviour); with SharpSwan's `set trigger-queue` it is held and delivered once the SA is up.
/// </summary>
public sealed class OnDemandInteropTests
{
    [Fact]
    public void Default_TriggeringPacketIsDropped_ThenTrafficFlows()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(Default_TriggeringPacketIsDropped_ThenTrafficFlows));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, scenario.BranchConnection(), "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, scenario.HeadquartersConfig(), "A");

        var received = Traffic.Ping(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB, count: 3);
        scenario.Require(received < 3, $"the triggering echo request is dropped while the SA is negotiated; {received} of 3 answered");
        scenario.WaitForChildSa(branch, gateway, TimeSpan.FromSeconds(30), "the packet triggered a negotiation: strongSwan lists an INSTALLED CHILD_SA");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
    }

    [Fact]
    public void TriggerQueue_DeliversTheTriggeringPacket()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(TriggerQueue_DeliversTheTriggeringPacket));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, scenario.BranchConnection(), "B");
        scenario.StartSharpSwan(scenario.A, scenario.HeadquartersConfig() with { Phase2TriggerQueue = 16 }, "A");

        var received = Traffic.Ping(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB, count: 3);
        scenario.Require(received == 3, $"with trigger-queue the echo requests sent during negotiation are delivered; {received} of 3 answered");
        scenario.Require(branch.InstalledChildSas().Count > 0, "strongSwan lists an INSTALLED CHILD_SA");
    }
}
