using System.Text.RegularExpressions;
using SharpSwan.Interop.Tests.Harness;
using SharpSwan.Testing;
using Xunit.Abstractions;

namespace SharpSwan.Interop.Tests.DialUp;

/// <summary>
/// Issue 6, interop refusals: a wrong PSK, a certificate from a CA the hub does not trust, and a client arriving when
/// the pool is empty each get the right notify (strongSwan logs <c>received &lt;NOTIFY&gt; notify</c>), leave a
/// negotiate_error record naming the client's address in the hub's event log (<c>execute log display</c>), create no
/// tunnel instance, and do not disturb the client that is already connected.
/// </summary>
[Collection(DialUpInteropCollection.Name)]
public sealed partial class DialUpRefusalInteropTests(DialUpScenarioRuns runs, ITestOutputHelper output)
{
    private const string IntruderAddress = "192.168.77.2";
    private const string DirectIntruderAddress = "198.51.100.66";
    private const string EcdsaClientBehindNat = "192.168.77.5";

    internal static IReadOnlyDictionary<string, Func<string>> Scenarios { get; } = new Dictionary<string, Func<string>>
    {
        [nameof(WrongPsk_IsRefusedWithAuthenticationFailed_AndTheConnectedClientKeepsWorking)] = WrongPsk,
        [nameof(UntrustedCertificate_IsRefusedWithAuthenticationFailed_AndTheConnectedClientKeepsWorking)] = UntrustedCertificate,
        [nameof(ExhaustedPool_RefusesTheSecondClientWithInternalAddressFailure_AndTheFirstKeepsWorking)] = ExhaustedPool,
        [nameof(RevokedCertificate_IsRefusedWithAuthenticationFailed_AndTheConnectedClientKeepsWorking)] = RevokedCertificate,
        [nameof(UserPeer_RefusesATrustedCertificateThatDoesNotMatch_AndTheMatchingClientKeepsWorking)] = UserPeerMismatch,
    };

    [Fact]
    public async Task UserPeer_RefusesATrustedCertificateThatDoesNotMatch_AndTheMatchingClientKeepsWorking() =>
        output.WriteLine(await runs.Outcome(nameof(UserPeer_RefusesATrustedCertificateThatDoesNotMatch_AndTheMatchingClientKeepsWorking)));

    /// <summary>
    /// Issue 16 item 7: the certificate phase 1 has <c>peertype peer</c> and <c>set peer</c> naming a <c>config user peer</c>
    /// that matches the ECDSA client (its ca, subject and cn); the RSA client's certificate comes from the same trusted CA
    /// and is refused with AUTHENTICATION_FAILED, its record naming the mismatch.
    /// </summary>
    private static string UserPeerMismatch()
    {
        using DialUpScenario scenario = DialUpScenario.Create(nameof(UserPeer_RefusesATrustedCertificateThatDoesNotMatch_AndTheMatchingClientKeepsWorking));
        NetworkNamespace client2Namespace = scenario.Topology.AddHostBehindNat(EcdsaClientBehindNat);
        NetworkNamespace otherNamespace = scenario.Topology.AddDirectHost(DirectIntruderAddress);
        DialUpHubConfig config = scenario.HubConfig(DialUpScenario.CertificatePhase1(
            RoadWarriorInteropTests.CertificatePhase1, RoadWarriorInteropTests.CertificatePoolStart, RoadWarriorInteropTests.CertificatePoolEnd));
        string userPeer = $"config user peer\n    edit \"client2\"\n        set ca \"{DialUpHubConfig.CaName}\"\n        set subject \"O=Lab\"\n        set cn \"{LabCertificates.EcdsaClientId}\"\n        set cn-type FQDN\n    next\nend\n";
        string text = config.Render().Replace("        set peertype any\n", "        set peertype peer\n        set peer \"client2\"\n", StringComparison.Ordinal);
        scenario.Require(text.Contains("set peer \"client2\"", StringComparison.Ordinal), "the certificate phase 1 names the user peer");
        SharpSwanGateway hub = scenario.StartGateway(scenario.Hub, userPeer + text, "hub");
        StrongSwanPeer client2 = scenario.StartRoadWarrior(
            client2Namespace, scenario.CertificateClient(LabCertificates.EcdsaClientId, scenario.Certificates.EcdsaClient), "client2");
        StrongSwanPeer other = scenario.StartRoadWarrior(
            otherNamespace, scenario.CertificateClient(LabCertificates.RsaClientId, scenario.Certificates.RsaClient), "other");

        string vip = scenario.Connect(client2);
        scenario.RequireRefused(other, "AUTHENTICATION_FAILED");
        RequireUndisturbed(scenario, hub, client2Namespace, vip, RoadWarriorInteropTests.CertificatePhase1 + "_0");
        string record = RequireRefusalRecord(scenario, hub, DirectIntruderAddress, PeerMismatchReason());
        return $"hub event: {record}";
    }

    [Fact]
    public async Task WrongPsk_IsRefusedWithAuthenticationFailed_AndTheConnectedClientKeepsWorking() =>
        output.WriteLine(await runs.Outcome(nameof(WrongPsk_IsRefusedWithAuthenticationFailed_AndTheConnectedClientKeepsWorking)));

    [Fact]
    public async Task UntrustedCertificate_IsRefusedWithAuthenticationFailed_AndTheConnectedClientKeepsWorking() =>
        output.WriteLine(await runs.Outcome(nameof(UntrustedCertificate_IsRefusedWithAuthenticationFailed_AndTheConnectedClientKeepsWorking)));

    [Fact]
    public async Task ExhaustedPool_RefusesTheSecondClientWithInternalAddressFailure_AndTheFirstKeepsWorking() =>
        output.WriteLine(await runs.Outcome(nameof(ExhaustedPool_RefusesTheSecondClientWithInternalAddressFailure_AndTheFirstKeepsWorking)));

    private static string WrongPsk()
    {
        using DialUpScenario scenario = DialUpScenario.Create(nameof(WrongPsk_IsRefusedWithAuthenticationFailed_AndTheConnectedClientKeepsWorking));
        NetworkNamespace client1Namespace = scenario.Topology.AddDirectHost(RoadWarriorInteropTests.Client1Address);
        NetworkNamespace intruderNamespace = scenario.Topology.AddHostBehindNat(IntruderAddress);
        SharpSwanGateway hub = scenario.StartHub(scenario.HubConfig(
            scenario.PskPhase1(RoadWarriorInteropTests.PskPhase1, RoadWarriorInteropTests.PskPoolStart, RoadWarriorInteropTests.PskPoolEnd)));
        StrongSwanPeer client1 = scenario.StartRoadWarrior(client1Namespace, scenario.PskClient(RoadWarriorInteropTests.Client1Id), "client1");
        StrongSwanPeer intruder = scenario.StartRoadWarrior(
            intruderNamespace, scenario.PskClient("intruder.lab", preSharedKey: "not-" + scenario.PreSharedKey), "intruder");

        string vip = scenario.Connect(client1);
        scenario.RequireRefused(intruder, "AUTHENTICATION_FAILED");
        RequireUndisturbed(scenario, hub, client1Namespace, vip, RoadWarriorInteropTests.PskPhase1 + "_0");
        string record = RequireRefusalRecord(scenario, hub, DialUpTopology.NatPublicAddress, PskReason());
        return $"hub event: {record}";
    }

    private static string UntrustedCertificate()
    {
        using DialUpScenario scenario = DialUpScenario.Create(nameof(UntrustedCertificate_IsRefusedWithAuthenticationFailed_AndTheConnectedClientKeepsWorking));
        NetworkNamespace client2Namespace = scenario.Topology.AddHostBehindNat(EcdsaClientBehindNat);
        NetworkNamespace intruderNamespace = scenario.Topology.AddDirectHost(DirectIntruderAddress);
        SharpSwanGateway hub = scenario.StartHub(scenario.HubConfig(
            scenario.PskPhase1(RoadWarriorInteropTests.PskPhase1, RoadWarriorInteropTests.PskPoolStart, RoadWarriorInteropTests.PskPoolEnd),
            DialUpScenario.CertificatePhase1(
                RoadWarriorInteropTests.CertificatePhase1, RoadWarriorInteropTests.CertificatePoolStart, RoadWarriorInteropTests.CertificatePoolEnd)));
        StrongSwanPeer client2 = scenario.StartRoadWarrior(
            client2Namespace, scenario.CertificateClient(LabCertificates.EcdsaClientId, scenario.Certificates.EcdsaClient), "client2");

        // The intruder trusts the hub's CA (so only the hub's verdict on the intruder matters) but holds a certificate from elsewhere.
        StrongSwanPeer intruder = scenario.StartRoadWarrior(
            intruderNamespace,
            scenario.CertificateClient(LabCertificates.UntrustedClientId, scenario.Certificates.UntrustedClient),
            "intruder");

        string vip = scenario.Connect(client2);
        scenario.RequireRefused(intruder, "AUTHENTICATION_FAILED");
        RequireUndisturbed(scenario, hub, client2Namespace, vip, RoadWarriorInteropTests.CertificatePhase1 + "_0");
        string record = RequireRefusalRecord(scenario, hub, DirectIntruderAddress, TrustReason());
        return $"hub event: {record}";
    }

    [Fact]
    public async Task RevokedCertificate_IsRefusedWithAuthenticationFailed_AndTheConnectedClientKeepsWorking() =>
        output.WriteLine(await runs.Outcome(nameof(RevokedCertificate_IsRefusedWithAuthenticationFailed_AndTheConnectedClientKeepsWorking)));

    /// <summary>Issue 11 item 11: the hub's CRL (config vpn certificate crl) lists the RSA client's certificate, issued by the trusted CA.</summary>
    private static string RevokedCertificate()
    {
        using DialUpScenario scenario = DialUpScenario.Create(nameof(RevokedCertificate_IsRefusedWithAuthenticationFailed_AndTheConnectedClientKeepsWorking));
        NetworkNamespace client2Namespace = scenario.Topology.AddHostBehindNat(EcdsaClientBehindNat);
        NetworkNamespace revokedNamespace = scenario.Topology.AddDirectHost(DirectIntruderAddress);
        DialUpHubConfig config = scenario.HubConfig(
            scenario.PskPhase1(RoadWarriorInteropTests.PskPhase1, RoadWarriorInteropTests.PskPoolStart, RoadWarriorInteropTests.PskPoolEnd),
            DialUpScenario.CertificatePhase1(
                RoadWarriorInteropTests.CertificatePhase1, RoadWarriorInteropTests.CertificatePoolStart, RoadWarriorInteropTests.CertificatePoolEnd));
        string crl = CertificateTables.RevocationList(scenario.Certificates.Authority, DateTimeOffset.UtcNow, scenario.Certificates.RsaClient);
        string crlTable = new CertificateTables().Crl("lab-crl", crl).Render();
        SharpSwanGateway hub = scenario.StartGateway(scenario.Hub, config.Render() + crlTable, "hub");
        StrongSwanPeer client2 = scenario.StartRoadWarrior(
            client2Namespace, scenario.CertificateClient(LabCertificates.EcdsaClientId, scenario.Certificates.EcdsaClient), "client2");
        StrongSwanPeer revoked = scenario.StartRoadWarrior(
            revokedNamespace, scenario.CertificateClient(LabCertificates.RsaClientId, scenario.Certificates.RsaClient), "revoked");

        string vip = scenario.Connect(client2);
        scenario.RequireRefused(revoked, "AUTHENTICATION_FAILED");
        RequireUndisturbed(scenario, hub, client2Namespace, vip, RoadWarriorInteropTests.CertificatePhase1 + "_0");
        string record = RequireRefusalRecord(scenario, hub, DirectIntruderAddress, RevokedReason());
        return $"hub event: {record}";
    }

    private static string ExhaustedPool()
    {
        using DialUpScenario scenario = DialUpScenario.Create(nameof(ExhaustedPool_RefusesTheSecondClientWithInternalAddressFailure_AndTheFirstKeepsWorking));
        NetworkNamespace client1Namespace = scenario.Topology.AddDirectHost(RoadWarriorInteropTests.Client1Address);
        NetworkNamespace lateNamespace = scenario.Topology.AddHostBehindNat(IntruderAddress);
        const string onlyAddress = RoadWarriorInteropTests.PskPoolStart;
        SharpSwanGateway hub = scenario.StartHub(scenario.HubConfig(
            scenario.PskPhase1(RoadWarriorInteropTests.PskPhase1, onlyAddress, onlyAddress)));
        StrongSwanPeer client1 = scenario.StartRoadWarrior(client1Namespace, scenario.PskClient(RoadWarriorInteropTests.Client1Id), "client1");
        StrongSwanPeer late = scenario.StartRoadWarrior(lateNamespace, scenario.PskClient("late.lab"), "late");

        string vip = scenario.Connect(client1);
        scenario.Require(vip == onlyAddress, $"client1 gets the pool's only address {onlyAddress}; got {vip}");
        scenario.RequireRefused(late, "INTERNAL_ADDRESS_FAILURE");
        scenario.Require(
            DialUpOutput.VirtualIps(late.ListSas()).Count == 0,
            $"the late client holds no virtual IP; swanctl --list-sas:\n{late.ListSas()}");
        RequireUndisturbed(scenario, hub, client1Namespace, vip, RoadWarriorInteropTests.PskPhase1 + "_0", onlyInstance: false);
        string record = RequireRefusalRecord(scenario, hub, DialUpTopology.NatPublicAddress, PoolReason());
        return $"hub event: {record}";
    }

    /// <summary>
    /// The hub's event log has a negotiate_error record from <paramref name="remoteAddress"/> whose reason says why
    /// (<paramref name="reason"/>); returns it.
    /// </summary>
    private static string RequireRefusalRecord(DialUpScenario scenario, SharpSwanGateway hub, string remoteAddress, Regex reason)
    {
        string? record = null;
        IReadOnlyList<string> events = [];
        scenario.WaitFor(
            () => (record = (events = DialUpScenario.Events(hub)).FirstOrDefault(line =>
                line.Contains("action=\"negotiate\"", StringComparison.Ordinal)
                && line.Contains("status=\"negotiate_error\"", StringComparison.Ordinal)
                && line.Contains($"remip={remoteAddress} ", StringComparison.Ordinal)
                && ReasonField().Match(line) is { Success: true } field && reason.IsMatch(field.Groups["reason"].Value))) is not null,
            RoadWarriorInteropTests.HubTimeout,
            () => $"the hub's event log has a negotiate_error record with remip={remoteAddress} and a reason matching /{reason}/; records:\n{string.Join('\n', events)}");
        return record!;
    }

    /// <summary>
    /// The connected client still has its instance (with its selector up) and its pings are answered. With
    /// <paramref name="onlyInstance"/> no other instance is listed at all; otherwise (a refused child, RFC 7296 lets the IKE
    /// SA stand) no other instance has a selector up.
    /// </summary>
    private static void RequireUndisturbed(
        DialUpScenario scenario, SharpSwanGateway hub, NetworkNamespace client, string vip, string instance, bool onlyInstance = true)
    {
        string summary = hub.Cli("get vpn ipsec tunnel summary");
        IReadOnlyList<string> tunnels = DialUpOutput.SummaryTunnels(summary);
        scenario.Require(
            DialUpOutput.SummaryEntry(summary, instance) is { Up: >= 1 },
            $"after the refusal the hub still lists {instance} with its selector up; got:\n{summary}");
        scenario.Require(
            onlyInstance
                ? tunnels.Count == 1
                : tunnels.Where(name => name != instance).All(name => DialUpOutput.SummaryEntry(summary, name) is { Up: 0 }),
            onlyInstance
                ? $"after the refusal the hub lists no instance but {instance}; got:\n{summary}"
                : $"after the refusal no instance but {instance} has a selector up; got:\n{summary}");
        scenario.RequirePing(client, vip, DialUpTopology.HubLanAddress);
    }

    [GeneratedRegex(@"\breason=""(?<reason>[^""]*)""")]
    private static partial Regex ReasonField();

    [GeneratedRegex(@"(?i)psk|pre-shared|auth")]
    private static partial Regex PskReason();

    [GeneratedRegex(@"(?i)trust|certificate|\bCA\b|issuer")]
    private static partial Regex TrustReason();

    [GeneratedRegex(@"does not match peer client2")]
    private static partial Regex PeerMismatchReason();

    [GeneratedRegex(@"(?i)revoked")]
    private static partial Regex RevokedReason();

    [GeneratedRegex(@"(?i)pool|address|mode-cfg")]
    private static partial Regex PoolReason();
}
