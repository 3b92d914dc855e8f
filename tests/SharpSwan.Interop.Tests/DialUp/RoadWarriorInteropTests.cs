using System.Net;
using System.Text.RegularExpressions;
using SharpSwan.Interop.Tests.Harness;
using Xunit.Abstractions;

namespace SharpSwan.Interop.Tests.DialUp;

/// <summary>
/// Issue 6, interop: strongSwan road warriors (each in its own namespace, one behind a masquerading NAT) against one
/// SharpSwan hub with two dynamic phase 1s on wan0 (psk and signature). Each client gets an address from its phase 1's
/// mode-cfg pool, becomes its own tunnel instance (<c>&lt;phase1&gt;_&lt;N&gt;</c>) with a route to its address on the
/// phase 1's interface, and reaches the hub's LAN from that address. The scenarios run side by side (see
/// <see cref="DialUpScenarioRuns"/>).
/// </summary>
[Collection(DialUpInteropCollection.Name)]
public sealed class RoadWarriorInteropTests(DialUpScenarioRuns runs, ITestOutputHelper output)
{
    internal const string PskPhase1 = "dialup-psk";
    internal const string CertificatePhase1 = "dialup-cert";
    internal const string PskPoolStart = "10.10.10.1";
    internal const string PskPoolEnd = "10.10.10.20";
    internal const string CertificatePoolStart = "10.10.20.1";
    internal const string CertificatePoolEnd = "10.10.20.20";
    internal const string Client1Address = "198.51.100.10";
    internal const string Client1Id = "client1.lab";
    internal const string Client2Address = "192.168.77.2";

    internal static readonly TimeSpan HubTimeout = TimeSpan.FromSeconds(20);

    internal static IReadOnlyDictionary<string, Func<string>> Scenarios { get; } = new Dictionary<string, Func<string>>
    {
        [nameof(PskClientDirect_And_EcdsaClientBehindNat_GetPoolAddresses_AndOneLeavingLeavesTheOtherWorking)] = TwoRoadWarriors,
        [nameof(RsaCertificateClient_GetsAnAddress_AndReachesTheHubLan)] = RsaRoadWarrior,
    };

    [Fact]
    public async Task PskClientDirect_And_EcdsaClientBehindNat_GetPoolAddresses_AndOneLeavingLeavesTheOtherWorking() =>
        output.WriteLine(await runs.Outcome(nameof(PskClientDirect_And_EcdsaClientBehindNat_GetPoolAddresses_AndOneLeavingLeavesTheOtherWorking)));

    [Fact]
    public async Task RsaCertificateClient_GetsAnAddress_AndReachesTheHubLan() =>
        output.WriteLine(await runs.Outcome(nameof(RsaCertificateClient_GetsAnAddress_AndReachesTheHubLan)));

    private static string TwoRoadWarriors()
    {
        using DialUpScenario scenario = DialUpScenario.Create(nameof(PskClientDirect_And_EcdsaClientBehindNat_GetPoolAddresses_AndOneLeavingLeavesTheOtherWorking));
        NetworkNamespace client1Namespace = scenario.Topology.AddDirectHost(Client1Address);
        NetworkNamespace client2Namespace = scenario.Topology.AddHostBehindNat(Client2Address);
        SharpSwanGateway hub = scenario.StartHub(scenario.HubConfig(
            scenario.PskPhase1(PskPhase1, PskPoolStart, PskPoolEnd),
            DialUpScenario.CertificatePhase1(CertificatePhase1, CertificatePoolStart, CertificatePoolEnd)));
        StrongSwanPeer client1 = scenario.StartRoadWarrior(client1Namespace, scenario.PskClient(Client1Id), "client1");
        StrongSwanPeer client2 = scenario.StartRoadWarrior(
            client2Namespace,
            scenario.CertificateClient(LabCertificates.EcdsaClientId, scenario.Certificates.EcdsaClient),
            "client2");

        // 1. Both connect and get an address from their phase 1's pool.
        string client1Vip = scenario.Connect(client1);
        string client2Vip = scenario.Connect(client2);
        RequireInPool(scenario, "client1", client1Vip, PskPoolStart, PskPoolEnd);
        RequireInPool(scenario, "client2", client2Vip, CertificatePoolStart, CertificatePoolEnd);
        // The mode-cfg reply also carries the DNS server (dns-mode manual) and the split-include network.
        foreach (StrongSwanPeer client in new[] { client1, client2 })
        {
            string reply = client.Log.Split('\n').FirstOrDefault(line =>
                line.Contains("parsed IKE_AUTH response", StringComparison.Ordinal) && line.Contains("CPRP(", StringComparison.Ordinal)) ?? "";
            scenario.Require(
                Regex.IsMatch(reply, @"CPRP\((?=[^)]*\bADDR\b)(?=[^)]*\bDNS\b)(?=[^)]*\bSUBNET\b)[^)]*\)"),
                $"{client.Label} received a configuration reply with ADDR, DNS and SUBNET attributes; its log: '{reply.Trim()}'");
        }

        string? hubIdentity = DialUpOutput.RemoteIdentity(client2.ListSas());
        scenario.Require(
            hubIdentity is not null && hubIdentity.Contains(LabCertificates.HubId, StringComparison.Ordinal),
            $"client2 authenticated the hub by its certificate's identity ({LabCertificates.HubId} or its DN); got '{hubIdentity}'");

        // 2. The hub lists one instance per client, each with a route to the client's address on the phase 1's interface.
        string psk0 = PskPhase1 + "_0";
        string certificate0 = CertificatePhase1 + "_0";
        RequireInstance(scenario, hub, psk0, Client1Address, client1Vip, PskPhase1);
        RequireInstance(scenario, hub, certificate0, DialUpTopology.NatPublicAddress, client2Vip, CertificatePhase1);

        // 3. Each reaches the hub's LAN from its virtual IP.
        scenario.RequirePing(client1Namespace, client1Vip, DialUpTopology.HubLanAddress);
        scenario.RequirePing(client2Namespace, client2Vip, DialUpTopology.HubLanAddress);

        // 4. client1 leaves while client2 keeps pinging: client1's instance and route go, client2 loses nothing.
        PingSummary? client2Ping;
        using (ContinuousPing pinging = ContinuousPing.Start(
            client2Namespace, client2Vip, DialUpTopology.HubLanAddress, count: 40, TimeSpan.FromMilliseconds(250),
            Path.Combine(scenario.DiagnosticsDirectory, "ping-client2-while-client1-leaves.log")))
        {
            ProcessResult terminate = client1.Terminate();
            scenario.Require(terminate.Succeeded, $"client1: swanctl --terminate --ike t succeeds; got {terminate.Describe()}");
            // Each check also sees client2's instance or route, so an empty (failed) listing cannot pass it.
            IReadOnlyList<string> tunnels = [];
            scenario.WaitFor(
                () => (tunnels = DialUpOutput.SummaryTunnels(hub.Cli("get vpn ipsec tunnel summary"))) is var listed
                    && !listed.Contains(psk0) && listed.Contains(certificate0),
                HubTimeout,
                () => $"after client1 leaves, the tunnel summary lists {certificate0} but no longer {psk0}; last: [{string.Join(", ", tunnels)}]");
            scenario.WaitFor(
                () => scenario.HubRoutes() is var routes
                    && !DialUpOutput.HasRoute(routes, client1Vip, PskPhase1) && DialUpOutput.HasRoute(routes, client2Vip, CertificatePhase1),
                HubTimeout,
                $"after client1 leaves, the hub's route to {client1Vip} on {PskPhase1} is gone and the one to {client2Vip} on {CertificatePhase1} stays");
            string list = hub.Cli("diagnose vpn tunnel list");
            scenario.Require(
                !DialUpOutput.ListedTunnels(list).Contains(psk0) && DialUpOutput.ListedTunnels(list).Contains(certificate0),
                $"after client1 leaves, diagnose vpn tunnel list lists {certificate0} but no longer {psk0}; got:\n{list}");
            client2Ping = pinging.Finish();
        }

        scenario.Require(client2Ping is not null, "client2's ping ends with a summary line");
        scenario.Require(
            client2Ping.Transmitted == 40 && client2Ping.Lost == 0,
            $"client2's ping through the hub loses nothing while client1 leaves: {client2Ping}");

        // 5. client1 comes back and gets its address back (it was freed and nobody took it), as instance _0 again.
        string client1VipAgain = scenario.Connect(client1);
        scenario.Require(client1VipAgain == client1Vip, $"client1 gets its address {client1Vip} back on reconnect; got {client1VipAgain}");
        RequireInstance(scenario, hub, psk0, Client1Address, client1Vip, PskPhase1);
        scenario.RequirePing(client1Namespace, client1Vip, DialUpTopology.HubLanAddress);
        scenario.RequirePing(client2Namespace, client2Vip, DialUpTopology.HubLanAddress);

        return $"client1 (psk, direct) {client1Vip} as {psk0}; client2 (ECDSA, behind NAT) {client2Vip} as {certificate0}; " +
            $"hub identity seen by client2: {hubIdentity}; client2's ping while client1 left: {client2Ping}";
    }

    private static string RsaRoadWarrior()
    {
        using DialUpScenario scenario = DialUpScenario.Create(nameof(RsaCertificateClient_GetsAnAddress_AndReachesTheHubLan));
        NetworkNamespace clientNamespace = scenario.Topology.AddDirectHost(Client1Address);
        SharpSwanGateway hub = scenario.StartHub(scenario.HubConfig(
            DialUpScenario.CertificatePhase1(CertificatePhase1, CertificatePoolStart, CertificatePoolEnd)));
        StrongSwanPeer client = scenario.StartRoadWarrior(
            clientNamespace,
            scenario.CertificateClient(LabCertificates.RsaClientId, scenario.Certificates.RsaClient),
            "client3");

        string vip = scenario.Connect(client);
        RequireInPool(scenario, "client3", vip, CertificatePoolStart, CertificatePoolEnd);
        RequireInstance(scenario, hub, CertificatePhase1 + "_0", Client1Address, vip, CertificatePhase1);
        scenario.RequirePing(clientNamespace, vip, DialUpTopology.HubLanAddress);

        // strongSwan signed with its RSA key; which scheme it picked is in its log.
        string signed = client.Log.Split('\n').FirstOrDefault(line =>
            line.Contains($"authentication of '{LabCertificates.RsaClientId}' (myself) with", StringComparison.Ordinal)) ?? "";
        scenario.Require(signed.Contains("RSA", StringComparison.Ordinal), $"client3 authenticated with an RSA signature; its log says '{signed.Trim()}'");
        return $"client3 (RSA-2048) {vip}; {signed.Trim()}";
    }

    internal static void RequireInPool(DialUpScenario scenario, string client, string vip, string start, string end)
    {
        uint value = ToNumber(vip);
        scenario.Require(
            value >= ToNumber(start) && value <= ToNumber(end),
            $"{client}'s virtual IP {vip} is in the pool {start}-{end}");
    }

    /// <summary>
    /// The hub lists <paramref name="instance"/> in the tunnel summary (remote <paramref name="remoteAddress"/>, its
    /// selector up) and in diagnose vpn tunnel list, and routes <paramref name="vip"/> into <paramref name="device"/>.
    /// </summary>
    internal static void RequireInstance(
        DialUpScenario scenario, SharpSwanGateway hub, string instance, string remoteAddress, string vip, string device)
    {
        string summary = "";
        scenario.WaitFor(
            () => DialUpOutput.SummaryEntry(summary = hub.Cli("get vpn ipsec tunnel summary"), instance) is { Up: >= 1 } entry
                && entry.Remote.StartsWith(remoteAddress + ":", StringComparison.Ordinal),
            HubTimeout,
            () => $"the tunnel summary lists '{instance}' from {remoteAddress} with a selector up; last output:\n{summary}");
        string list = hub.Cli("diagnose vpn tunnel list");
        scenario.Require(
            DialUpOutput.ListedTunnels(list).Contains(instance),
            $"diagnose vpn tunnel list lists name={instance}; got:\n{list}");
        scenario.WaitFor(
            () => DialUpOutput.HasRoute(scenario.HubRoutes(), vip, device),
            HubTimeout,
            $"the hub has a route to {vip} on {device}");
    }

    private static uint ToNumber(string address)
    {
        byte[] bytes = IPAddress.Parse(address).GetAddressBytes();
        return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
    }
}
