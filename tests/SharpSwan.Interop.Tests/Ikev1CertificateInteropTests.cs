using System.Text.RegularExpressions;
using SharpSwan.Interop.Tests.Harness;
using SharpSwan.Testing;

namespace SharpSwan.Interop.Tests;

/// <summary>
/// IKEv1 main and aggressive mode with ECDSA certificates against strongSwan 5.9 (swanctl <c>version = 1</c>, <c>auth = pubkey</c>): both
/// ends hold lab-CA P-256 certificates and name themselves by their subject DNs; SIG payloads over HASH_I/HASH_R.
/// </summary>
public sealed partial class Ikev1CertificateInteropTests
{
    private const string Phase1 = "to-branch";
    private const string Phase2 = "to-branch-p2";

    /// <summary>FortiOS's log id of an IPsec phase 1 error, the event log record a refused peer leaves.</summary>
    private const string Phase1ErrorLogId = "0101037124";

    private static readonly TimeSpan EstablishTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// SharpSwan initiates (it signs HASH_I, checks strongSwan's SIG_R), pings go both ways; then strongSwan closes and
    /// initiates itself (SharpSwan checks SIG_I and signs HASH_R), and pings go both ways again.
    /// </summary>
    [Fact]
    public void MainModeWithEcdsaCertificates_BothRoles_PingsBothWays()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(Ikev1CertificateInteropTests) + "_" + nameof(MainModeWithEcdsaCertificates_BothRoles_PingsBothWays));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, Branch(scenario), "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, Headquarters(scenario), "A");

        gateway.Cli($"diagnose vpn tunnel up {Phase2} {Phase1}");
        scenario.WaitForChildSa(branch, gateway, EstablishTimeout, "strongSwan lists an INSTALLED IKEv1 CHILD_SA authenticated by certificates");
        string sas = branch.ListSas();
        scenario.Require(
            RemoteIsHubDn().IsMatch(sas),
            $"strongSwan authenticated SharpSwan as its certificate's subject DN; swanctl --list-sas:\n{sas}");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA);

        ProcessResult terminate = branch.Terminate();
        scenario.Require(terminate.Succeeded, $"swanctl --terminate closes the IKEv1 SA; got {terminate.Describe()}");
        ProcessResult initiate = branch.Initiate();
        scenario.Require(initiate.Succeeded, $"strongSwan initiates main mode with its certificate and SharpSwan answers; got {initiate.Describe()}");
        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA);
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
    }

    /// <summary>
    /// The same in aggressive mode (<c>set mode aggressive</c>, strongSwan <c>aggressive = yes</c>): the ID and CR travel in
    /// message 1, the responder's CERT and SIG_R in message 2, the initiator's CERT and SIG_I in message 3; both roles.
    /// </summary>
    [Fact]
    public void AggressiveModeWithEcdsaCertificates_BothRoles_PingsBothWays()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(Ikev1CertificateInteropTests) + "_" + nameof(AggressiveModeWithEcdsaCertificates_BothRoles_PingsBothWays));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, Branch(scenario) with { Aggressive = true }, "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, Headquarters(scenario, "set mode aggressive"), "A");

        gateway.Cli($"diagnose vpn tunnel up {Phase2} {Phase1}");
        scenario.WaitForChildSa(branch, gateway, EstablishTimeout, "strongSwan lists an INSTALLED CHILD_SA after an aggressive mode authenticated by certificates");
        string sas = branch.ListSas();
        scenario.Require(RemoteIsHubDn().IsMatch(sas), $"strongSwan authenticated SharpSwan as its certificate's subject DN; swanctl --list-sas:\n{sas}");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);

        ProcessResult terminate = branch.Terminate();
        scenario.Require(terminate.Succeeded, $"swanctl --terminate closes the IKEv1 SA; got {terminate.Describe()}");
        ProcessResult initiate = branch.Initiate();
        scenario.Require(initiate.Succeeded, $"strongSwan initiates aggressive mode with its certificate and SharpSwan answers; got {initiate.Describe()}");
        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA);
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
    }

    /// <summary>
    /// SharpSwan's phase 1 has <c>peertype peer</c> naming a <c>config user peer</c> whose cn is not strongSwan's: its
    /// certificate is trusted but refused, the event log has a phase 1 error record for the branch's address and this phase
    /// 1, and no child SA exists.
    /// </summary>
    [Fact]
    public void UserPeerThatDoesNotMatchTheCertificate_IsRefused_WithAPhase1ErrorRecord()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(Ikev1CertificateInteropTests) + "_" + nameof(UserPeerThatDoesNotMatchTheCertificate_IsRefused_WithAPhase1ErrorRecord));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, Branch(scenario), "B");
        string userPeer = $"config user peer\n    edit \"only-client3\"\n        set ca \"lab-ca\"\n        set cn \"{LabCertificates.RsaClientId}\"\n        set cn-type FQDN\n    next\nend\n";
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, userPeer + Headquarters(scenario, "set peertype peer\n        set peer \"only-client3\""), "A");

        ProcessResult initiate = branch.Swanctl(TimeSpan.FromSeconds(15), "--initiate", "--child", StrongSwanConnection.ChildName, "--timeout", "5");
        scenario.Require(!initiate.Succeeded, $"strongSwan's main mode is refused; got {initiate.Describe()}");
        string eventFile = Path.ChangeExtension(gateway.ConfigPath, ".events.log");
        IReadOnlyDictionary<string, string>? record = null;
        scenario.WaitFor(
            () => (record = GatewayLogEvents.Records(eventFile).FirstOrDefault(f => f.GetValueOrDefault("logid") == Phase1ErrorLogId)) is not null,
            TimeSpan.FromSeconds(10),
            "SharpSwan's event log has a phase 1 error record");
        IReadOnlyDictionary<string, string> found = record!;
        scenario.Require(
            found.GetValueOrDefault("status") == "negotiate_error" && found.GetValueOrDefault("remip") == TwoSiteTopology.WanAddressB
                && found.GetValueOrDefault("vpntunnel") == Phase1 && found.GetValueOrDefault("reason") is { Length: > 0 },
            $"the record is a negotiate_error from {TwoSiteTopology.WanAddressB} on {Phase1} with a reason; got {string.Join(' ', found.Select(f => $"{f.Key}={f.Value}"))}");
        scenario.Require(branch.InstalledChildSas().Count == 0, "strongSwan has no INSTALLED CHILD_SA");
        scenario.Require(FortiOsOutput.EncryptSpis(gateway.Cli("diagnose vpn tunnel list")).Count == 0, "SharpSwan lists no phase 2 SA");
    }

    private static StrongSwanConnection Branch(InteropScenario scenario) => scenario.BranchConnection() with
    {
        Version = 1,
        Proposals = "aes128-sha256-modp2048",
        EspProposals = "aes128-sha256-modp2048",
        Certificate = LabCertificates.Shared.EcdsaClient,
        AuthorityPem = LabCertificates.Shared.Authority.CertificatePem,
    };

    /// <summary>The IKEv1 phase 1 with <c>authmethod signature</c> and the hub's certificate instead of the PSK, trusting the lab CA.</summary>
    private static string Headquarters(InteropScenario scenario, string peerLines = "")
    {
        var pki = LabCertificates.Shared;
        string tables = new CertificateTables().Ca("lab-ca", pki.Authority).Local("hub", pki.Hub).Render();
        var config = scenario.HeadquartersConfig() with
        {
            IkeVersion = 1,
            Dpd = "disable",
            Phase1Proposal = "aes128-sha256",
            Phase1DhGroup = 14,
            Phase2Proposal = "aes128-sha256",
            Phase2DhGroup = 14,
            Phase1AutoNegotiate = false,
        };
        string text = config.Render();
        string signed = text.Replace(
            $"        set psksecret \"{config.PreSharedKey}\"\n", $"        set authmethod signature\n        set certificate \"hub\"\n        {peerLines}\n", StringComparison.Ordinal);
        return signed != text ? tables + signed : throw new InvalidOperationException("the rendered phase 1 has no psksecret line to replace");
    }

    // "  remote 'O=Lab, CN=hub.lab' @ 198.51.100.1[4500]": the DN, not an address or the SAN.
    [GeneratedRegex(@"remote '[^'@]*CN=hub\.lab[^'@]*' @")]
    private static partial Regex RemoteIsHubDn();
}
