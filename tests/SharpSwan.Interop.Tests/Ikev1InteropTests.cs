using SharpSwan.Interop.Tests.Harness;

namespace SharpSwan.Interop.Tests;

/// <summary>
/// IKEv1 against strongSwan 5.9 (swanctl <c>version = 1</c>, kernel-libipsec, ESP in UDP 4500 after RFC 3947 NAT-T):
/// main mode with a pre-shared key and quick mode with PFS (MODP-2048, as FortiOS's `pfs enable`), pings both ways.
/// </summary>
public sealed class Ikev1InteropTests
{
    private const string Phase1 = "to-branch";
    private const string Phase2 = "to-branch-p2";
    private static readonly TimeSpan EstablishTimeout = TimeSpan.FromSeconds(30);

    private static SharpSwanConfig Ikev1Config(InteropScenario scenario) => scenario.HeadquartersConfig() with
    {
        IkeVersion = 1,
        Dpd = "disable",
        Phase1Proposal = "aes128-sha256",
        Phase1DhGroup = 14,
        Phase2Proposal = "aes128-sha256",
        Phase2DhGroup = 14,
    };

    private static StrongSwanConnection Ikev1Branch(InteropScenario scenario) => scenario.BranchConnection() with
    {
        Version = 1,
        Proposals = "aes128-sha256-modp2048",
        EspProposals = "aes128-sha256-modp2048",
    };

    [Fact]
    public void SharpSwanInitiates_MainModePsk_QuickModeWithPfs()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(Ikev1InteropTests) + "_" + nameof(SharpSwanInitiates_MainModePsk_QuickModeWithPfs));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, Ikev1Branch(scenario), "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, Ikev1Config(scenario) with { Phase1AutoNegotiate = false }, "A");

        gateway.Cli($"diagnose vpn tunnel up {Phase2} {Phase1}");
        scenario.WaitForChildSa(branch, gateway, EstablishTimeout, "strongSwan lists an INSTALLED IKEv1 CHILD_SA");

        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA);
        string list = "";
        scenario.WaitFor(
            () => FortiOsOutput.EncryptSpis(list = gateway.Cli("diagnose vpn tunnel list")).Count == 1,
            TimeSpan.FromSeconds(10),
            $"diagnose vpn tunnel list shows the IKEv1 tunnel's one 'enc: spi'; last output:\n{list}");
    }

    [Fact]
    public void StrongSwanInitiates_MainModePsk_QuickModeWithPfs()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(Ikev1InteropTests) + "_" + nameof(StrongSwanInitiates_MainModePsk_QuickModeWithPfs));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, Ikev1Branch(scenario), "B");
        scenario.StartSharpSwan(scenario.A, Ikev1Config(scenario) with { Phase1AutoNegotiate = false }, "A");

        ProcessResult initiate = branch.Initiate();
        scenario.Require(initiate.Succeeded, $"swanctl --initiate --child c succeeds over IKEv1; got {initiate.Describe()}");
        scenario.WaitFor(() => branch.InstalledChildSas().Count > 0, EstablishTimeout, "strongSwan lists an INSTALLED IKEv1 CHILD_SA");

        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA);
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
    }

    /// <summary>
    /// On demand over IKEv1 with SharpSwan's trigger queue: a ping every 10 ms starts the negotiation, and every request
    /// sent while main mode and quick mode ran is held and delivered. The held burst leaves when quick mode's 3rd
    /// message has gone, so strongSwan must already take the new SA's packets when the burst arrives.
    /// </summary>
    [Fact]
    public void TriggerQueue_DeliversEveryRequestHeldDuringMainAndQuickMode()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(Ikev1InteropTests) + "_" + nameof(TriggerQueue_DeliversEveryRequestHeldDuringMainAndQuickMode));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, Ikev1Branch(scenario), "B");
        scenario.StartSharpSwan(scenario.A, Ikev1Config(scenario) with { Phase1AutoNegotiate = false, Phase2TriggerQueue = 256 }, "A");

        PingSummary? summary;
        using (ContinuousPing ping = ContinuousPing.Start(
            scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB, 150, TimeSpan.FromMilliseconds(10),
            Path.Combine(scenario.DiagnosticsDirectory, "ping-during-negotiation.log")))
        {
            scenario.Require(Wait.Until(() => ping.HasExited, TimeSpan.FromSeconds(30)), "the 1.5 s ping ends");
            summary = ping.Finish();
        }

        scenario.Require(branch.InstalledChildSas().Count == 1, "strongSwan lists an INSTALLED IKEv1 CHILD_SA");
        scenario.Require(
            summary is { Transmitted: 150, Lost: 0 },
            $"every echo request sent during the negotiation is held and answered; got {summary?.ToString() ?? "no summary"}");
    }

    /// <summary>
    /// Make-before-break over IKEv1: SharpSwan rekeys with a new quick mode, then strongSwan does; a continuous ping from
    /// A to B runs across both rekeys and loses nothing, and pings go both ways after each.
    /// </summary>
    [Fact]
    public void QuickModeRekey_BySharpSwan_And_ByStrongSwan_UnderContinuousPing_LosesNothing()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(Ikev1InteropTests) + "_" + nameof(QuickModeRekey_BySharpSwan_And_ByStrongSwan_UnderContinuousPing_LosesNothing));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, Ikev1Branch(scenario), "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, Ikev1Config(scenario) with { Phase1AutoNegotiate = false }, "A");
        gateway.Cli($"diagnose vpn tunnel up {Phase2} {Phase1}");
        scenario.WaitForChildSa(branch, gateway, EstablishTimeout, "strongSwan lists an INSTALLED IKEv1 CHILD_SA");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        uint original = FortiOsOutput.EncryptSpis(gateway.Cli("diagnose vpn tunnel list")).Single();

        using ContinuousPing ping = ContinuousPing.Start(
            scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB, 40, TimeSpan.FromMilliseconds(250),
            Path.Combine(scenario.DiagnosticsDirectory, "ping-across-rekeys.log"));

        gateway.Cli($"diagnose vpn tunnel rekey {Phase2} {Phase1}");
        uint ours = 0;
        scenario.WaitFor(
            () => FortiOsOutput.EncryptSpis(gateway.Cli("diagnose vpn tunnel list")) is [uint only] && only != original && (ours = only) != 0,
            TimeSpan.FromSeconds(15),
            $"after SharpSwan's quick-mode rekey one 'enc: spi' other than {original:x8} remains (the old SA deleted)");
        scenario.WaitFor(() => branch.InstalledChildSas().Any(c => c.InboundSpi == ours), TimeSpan.FromSeconds(10), $"strongSwan has the new SA with inbound SPI {ours:x8}");

        ProcessResult rekey = branch.Rekey();
        scenario.Require(rekey.Succeeded, $"swanctl --rekey --child c is accepted over IKEv1; got {rekey.Describe()}");
        scenario.WaitFor(
            () => FortiOsOutput.EncryptSpis(gateway.Cli("diagnose vpn tunnel list")).Any(spi => spi != original && spi != ours),
            TimeSpan.FromSeconds(15),
            "after strongSwan's quick-mode rekey the tunnel list shows a third 'enc: spi'");

        PingSummary? summary = ping.Finish();
        scenario.Require(summary is { Transmitted: 40, Lost: 0 }, $"the continuous ping across both rekeys loses nothing; got {summary?.ToString() ?? "no summary"}");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA);
    }

    /// <summary>IKEv1 dial-up: strongSwan dials in with main mode PSK to a `type dynamic` phase 1 and gets its own instance.</summary>
    [Fact]
    public void StrongSwanDialsIn_MainModePsk_ToADynamicPhase1()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(Ikev1InteropTests) + "_" + nameof(StrongSwanDialsIn_MainModePsk_ToADynamicPhase1));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, Ikev1Branch(scenario), "B");
        string configuration = Ikev1Config(scenario).Render()
            .Replace($"        set remote-gw {TwoSiteTopology.WanAddressB}\n", "        set type dynamic\n", StringComparison.Ordinal);
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, configuration, "A");

        ProcessResult initiate = branch.Initiate();
        scenario.Require(initiate.Succeeded, $"swanctl --initiate --child c succeeds against the IKEv1 dial-up phase1; got {initiate.Describe()}");
        scenario.WaitForChildSa(branch, gateway, EstablishTimeout, "strongSwan lists an INSTALLED IKEv1 CHILD_SA");
        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA);
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        scenario.Require(
            gateway.Cli("diagnose vpn ike gateway list").Contains($"name: {Phase1}_0\n", StringComparison.Ordinal),
            "diagnose vpn ike gateway list shows the dial-up instance to-branch_0");
    }
}
