using SharpSwan.Interop.Tests.Harness;

namespace SharpSwan.Interop.Tests;

/// <summary>
/// Proves the harness without SharpSwan: two strongSwan charons (libipsec) in the same topology the interop
/// tests use. If this fails, interop failures say nothing about the gateway.
/// </summary>
public sealed class HarnessSelfTests
{
    [Fact]
    public void HarnessSelfTest_StrongSwanToStrongSwan()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(HarnessSelfTest_StrongSwanToStrongSwan));
        StrongSwanPeer headquarters = scenario.StartStrongSwan(scenario.A, scenario.HeadquartersConnection(), "A");
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, scenario.BranchConnection(), "B");

        ProcessResult initiate = headquarters.Initiate();
        scenario.Require(initiate.Succeeded, $"swanctl --initiate --child c succeeds; got {initiate.Describe()}");
        scenario.WaitFor(() => headquarters.InstalledChildSas().Count == 1, TimeSpan.FromSeconds(10), "A lists one INSTALLED CHILD_SA");
        scenario.WaitFor(() => branch.InstalledChildSas().Count == 1, TimeSpan.FromSeconds(10), "B lists one INSTALLED CHILD_SA");

        // The two listings describe the same CHILD_SA from both ends.
        ChildSaEntry a = headquarters.InstalledChildSas()[0];
        ChildSaEntry b = branch.InstalledChildSas()[0];
        scenario.Require(a.InboundSpi == b.OutboundSpi && a.OutboundSpi == b.InboundSpi, $"SPIs mirror each other: A {a}, B {b}");

        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA);

        IperfResult iperf = Traffic.Iperf3Tcp(
            scenario.A, TwoSiteTopology.LanAddressA, scenario.B, TwoSiteTopology.LanAddressB, seconds: 2, scenario.DiagnosticsDirectory);
        scenario.Require(iperf.Completed && iperf.ReceivedMbitsPerSecond > 0, $"iperf3 through the tunnel moves data; got:\n{iperf.Output}");
    }
}
