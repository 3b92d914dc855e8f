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
        var config = scenario.HeadquartersConfig() with { Phase2TriggerQueue = 16 };
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, config, "A");

        // The flow trace follows the first request: held while the SA is negotiated, then released on it.
        using BackgroundProcess flow = scenario.StartFlowTrace(gateway, 1, $"diagnose debug flow filter daddr {TwoSiteTopology.LanAddressB}");

        var received = Traffic.Ping(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB, count: 3);
        scenario.Require(received == 3, $"with trigger-queue the echo requests sent during negotiation are delivered; {received} of 3 answered");
        scenario.Require(branch.InstalledChildSas().Count > 0, "strongSwan lists an INSTALLED CHILD_SA");

        scenario.Require(flow.WaitForExit(TimeSpan.FromSeconds(40)), $"the flow trace ends once its packet left; output:\n{string.Join('\n', flow.Lines())}");
        var trace = flow.Lines().Where(l => l.StartsWith("id=20085 trace_id=1 ", StringComparison.Ordinal)).ToList();
        var held = trace.FindIndex(l => l.EndsWith($"msg=\"no SA for phase2 {config.Phase2Name}: negotiation triggered, packet held in the trigger queue\"", StringComparison.Ordinal));
        var released = trace.FindIndex(l => System.Text.RegularExpressions.Regex.IsMatch(
            l, $"msg=\"released from the trigger queue: encrypted by SA spi=[0-9a-f]{{8}} of phase2 {config.Phase2Name}, and send to {TwoSiteTopology.WanAddressB} with source {TwoSiteTopology.WanAddressA}\"$"));
        scenario.Require(
            held >= 0 && released > held,
            $"the first request's trace shows it held, then released on the new SA; output:\n{string.Join('\n', flow.Lines())}");
    }
}
