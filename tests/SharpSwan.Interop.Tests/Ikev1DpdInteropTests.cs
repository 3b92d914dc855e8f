using SharpSwan.Interop.Tests.Harness;

namespace SharpSwan.Interop.Tests;

/// <summary>
/// IKEv1 dead peer detection (RFC 3706) against strongSwan 5.9: both ends probe each other (strongSwan `dpd_delay`,
/// SharpSwan `dpd on-idle`) and answer, so the SAs stay; then charon is killed, SharpSwan's R-U-THERE goes unanswered
/// `dpd-retrycount` times, the SAs go down with a DPD error in the event log, and auto-negotiate brings the tunnel back
/// once a fresh charon listens.
/// </summary>
public sealed class Ikev1DpdInteropTests
{
    private const string Phase1 = "to-branch";
    private const string Phase2 = "to-branch-p2";

    /// <summary>The event log's record field for a phase 1 error (FortiOS log id 0101037124), read instead of its reason text.</summary>
    private const string Phase1ErrorRecord = "logid=\"0101037124\"";

    private static readonly TimeSpan EstablishTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void DeadPeer_FoundByRuThere_SasDown_AutoNegotiateBringsTheTunnelBack()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(Ikev1DpdInteropTests) + "_" + nameof(DeadPeer_FoundByRuThere_SasDown_AutoNegotiateBringsTheTunnelBack));
        var connection = scenario.BranchConnection() with
        {
            Version = 1,
            Proposals = "aes128-sha256-modp2048",
            EspProposals = "aes128-sha256-modp2048",
            DpdDelay = "2s",
            DpdTimeout = "5s",
        };
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, connection, "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, scenario.HeadquartersConfig() with
        {
            IkeVersion = 1,
            Phase1Proposal = "aes128-sha256",
            Phase1DhGroup = 14,
            Phase2Proposal = "aes128-sha256",
            Phase2DhGroup = 14,
            Dpd = "on-idle",
            DpdRetryIntervalSeconds = 2,
            DpdRetryCount = 2,
            Phase2AutoNegotiate = true,
        }, "A");

        scenario.WaitFor(() => branch.InstalledChildSas().Count == 1, EstablishTimeout, "auto-negotiate brings up one IKEv1 CHILD_SA in strongSwan");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        uint? original = branch.InstalledChildSas()[0].InboundSpi;

        // Idle for several probe rounds each way: every R-U-THERE is answered, nothing goes down.
        Thread.Sleep(TimeSpan.FromSeconds(7));
        var eventFile = Path.ChangeExtension(gateway.ConfigPath, ".events.log");
        scenario.Require(
            branch.InstalledChildSas() is [{ } same] && same.InboundSpi == original && !File.ReadAllText(eventFile).Contains(Phase1ErrorRecord, StringComparison.Ordinal),
            "after 7 idle seconds of mutual DPD (2 s each way, strongSwan closing after 5 s unanswered) the same CHILD_SA is up and SharpSwan logged no phase 1 error");

        gateway.Note("killing charon in B with SIGKILL");
        branch.Kill();
        scenario.Require(branch.HasExited, "charon is gone after SIGKILL");
        scenario.WaitFor(
            () => File.ReadAllText(eventFile).Contains(Phase1ErrorRecord, StringComparison.Ordinal),
            TimeSpan.FromSeconds(20),
            "SharpSwan's event log records a phase 1 error: with no traffic and no rekey due, only DPD can find one");
        scenario.WaitFor(
            () => FortiOsOutput.ProxyIdSaState(gateway.Cli($"diagnose vpn tunnel list name {Phase1}"), Phase2) is null or 0,
            TimeSpan.FromSeconds(5),
            "the phase 2 SA is down in SharpSwan after the DPD failure");

        StrongSwanPeer restarted = scenario.StartStrongSwan(scenario.B, connection, "B-restarted");
        scenario.WaitFor(
            () => restarted.InstalledChildSas() is [{ } fresh] && fresh.InboundSpi != original,
            EstablishTimeout,
            "auto-negotiate (every 5 s) brings a new CHILD_SA up with the restarted strongSwan, without traffic");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA);
    }
}
