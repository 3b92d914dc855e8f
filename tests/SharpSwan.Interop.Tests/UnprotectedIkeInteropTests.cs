using System.Globalization;
using System.Text.RegularExpressions;
using SharpSwan.Interop.Tests.Harness;

namespace SharpSwan.Interop.Tests;

/// <summary>
/// Issue 11, item 1, against strongSwan: plaintext DELETE, NOTIFY and IKE_AUTH messages with the live IKE SA's SPIs and
/// the expected message ID, spoofed from strongSwan's own endpoint, are dropped unanswered and counted; the tunnel survives.
/// </summary>
public sealed partial class UnprotectedIkeInteropTests
{
    private const string Phase1 = "to-branch";
    private const string Phase2 = "to-branch-p2";

    [Fact]
    public void PlaintextDeleteNotifyAndAuth_WithTheLiveSpis_AreDroppedAndCounted_AndTheTunnelSurvives()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(PlaintextDeleteNotifyAndAuth_WithTheLiveSpis_AreDroppedAndCounted_AndTheTunnelSurvives));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, scenario.BranchConnection(), "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, scenario.HeadquartersConfig(), "A");
        gateway.Cli($"diagnose vpn tunnel up {Phase2} {Phase1}");
        scenario.WaitForChildSa(branch, gateway, TimeSpan.FromSeconds(30), "strongSwan lists an INSTALLED CHILD_SA");
        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA);

        string listBefore = gateway.Cli($"diagnose vpn ike gateway list name {Phase1}");
        LiveIkeSa? sa = UnprotectedIkeTraffic.Read(listBefore);
        scenario.Require(sa is not null, $"the gateway lists its IKE SA with endpoints, SPIs and message IDs:\n{listBefore}");
        gateway.Note($"live IKE SA: {sa}");
        scenario.Require(UnprotectedDrops(gateway) == 0, "no unprotected message was counted before the injection");

        ProcessResult injection;
        IReadOnlyList<string> responses;
        using (PacketCapture capture = PacketCapture.Start(
            scenario.B, TwoSiteTopology.WanInterface, UnprotectedIkeTraffic.ResponsesFrom(TwoSiteTopology.WanAddressA),
            Path.Combine(scenario.DiagnosticsDirectory, "tcpdump-ike-responses.log")))
        {
            injection = UnprotectedIkeTraffic.Inject(scenario.B, sa, scenario.WorkDirectory);
            scenario.Require(injection.Succeeded && injection.StandardOutput.Contains("sent=3 errors=0", StringComparison.Ordinal), $"the forger sent its three messages; got {injection.Describe()}");
            scenario.WaitFor(() => UnprotectedDrops(gateway) >= 3, TimeSpan.FromSeconds(10), "the gateway counted the three plaintext messages");
            Thread.Sleep(TimeSpan.FromSeconds(1));
            responses = capture.Packets();
        }

        gateway.Note($"forger: {injection.StandardOutput.Trim()}; ike stats:\n{gateway.Cli("diagnose vpn ike stats")}");
        scenario.Require(UnprotectedDrops(gateway) == 3, $"exactly the three forged messages were counted:\n{gateway.Cli("diagnose vpn ike stats")}");
        scenario.Require(responses.Count == 0, $"the gateway answered none of them; tcpdump saw:\n{string.Join('\n', responses)}");

        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA);
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        string listAfter = gateway.Cli($"diagnose vpn ike gateway list name {Phase1}");
        LiveIkeSa? after = UnprotectedIkeTraffic.Read(listAfter);
        scenario.Require(
            after is not null && (after.InitiatorSpi, after.ResponderSpi) == (sa.InitiatorSpi, sa.ResponderSpi),
            $"the same IKE SA is still there:\n{listAfter}");
        // strongSwan sends no request of its own here (no DPD configured, rekeys an hour away): the expected ID stays.
        scenario.Require(after.ReceiveId == sa.ReceiveId, $"the message ID the gateway expects did not move: {sa.ReceiveId} -> {after.ReceiveId}");
        string strongSwanSas = branch.ListSas();
        scenario.Require(
            strongSwanSas.Contains(sa.InitiatorSpi, StringComparison.OrdinalIgnoreCase) && strongSwanSas.Contains(sa.ResponderSpi, StringComparison.OrdinalIgnoreCase),
            $"strongSwan still has the IKE SA {sa.InitiatorSpi}/{sa.ResponderSpi}:\n{strongSwanSas}");
        scenario.Require(branch.InstalledChildSas().Count > 0, "strongSwan still lists an INSTALLED CHILD_SA");
        scenario.Require(!gateway.HasExited, "the gateway process is still running");
    }

    private static long UnprotectedDrops(SharpSwanGateway gateway)
    {
        Match match = UnprotectedDropLine().Match(gateway.Cli("diagnose vpn ike stats"));
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
    }

    [GeneratedRegex(@"rx\.unprotected\.drop: (\d+)")]
    private static partial Regex UnprotectedDropLine();
}
