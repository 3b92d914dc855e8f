using SharpSwan.Crypto.Certificates;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Wire;
using SharpSwan.Simulation.Tests.Support;
using SharpSwan.Testing;

namespace SharpSwan.Simulation.Tests.Scenarios;

/// <summary>
/// Issue 11 item 15: IKEv2 fragmentation (RFC 7383) on a link that drops every datagram above 1300 bytes. Certificates
/// (RSA-3072 leaves with padded subject alternative names, sent with their RSA-3072 intermediate) make IKE_AUTH several
/// kilobytes both ways: the tunnel comes up only when the client's request and the hub's response go out in fragments.
/// </summary>
public sealed class FragmentationScenarios
{
    private const int LinkLimit = 1300;
    private const int IpAndUdpHeaders = 28;

    private static readonly DateTimeOffset Now = VirtualClock.DefaultStart;
    private static readonly Lazy<(IssuedCertificate Root, IssuedCertificate Intermediate, IssuedCertificate Hub, IssuedCertificate Client)> Pki = new(() =>
    {
        var root = CertificateTables.Authority("CN=Frag Root,O=SharpSwan Lab", Now);
        var intermediate = CertificateTables.Intermediate(root, "CN=Frag Intermediate,O=SharpSwan Lab", CertificateKeyAlgorithm.Rsa3072, Now);
        return (root, intermediate, Leaf(intermediate, "hub.lab"), Leaf(intermediate, "client1.lab"));
    });

    [Fact]
    public void Large_certificate_ike_auth_crosses_a_small_mtu_link_in_fragments_both_ways()
    {
        Scenario.Run(seed: 73831, simulation =>
        {
            var (hub, client, oversized) = Start(simulation, clientFragmentation: "");
            Assert.True(client.Initiate("to-hub", null));
            Assert.True(simulation.RunUntil(() => client.InstalledSas.Count == 1, TimeSpan.FromSeconds(15)), simulation.Describe());

            var request = Assert.Single(client.Events<IkeMessageFragmented>());
            Assert.Equal((ExchangeType.IkeAuth, false), (request.Exchange, request.IsResponse));
            Assert.InRange(request.LargestDatagram, 1, 1200);
            var response = Assert.Single(hub.Events<IkeMessageFragmented>());
            Assert.Equal((ExchangeType.IkeAuth, true), (response.Exchange, response.IsResponse));
            Assert.Equal(request.Fragments, Assert.Single(hub.Events<IkeMessageReassembled>()).Fragments);
            Assert.Equal(response.Fragments, Assert.Single(client.Events<IkeMessageReassembled>()).Fragments);
            Assert.Equal(0, oversized());

            Assert.True(hub.SendTraffic(Scenario.Packet("10.1.0.5", client.Engine.Tunnels.Single().AssignedAddress!.ToString(), 1)));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(1, client.Traffic("to-hub", "to-hub-p2").Delivered);
        });
    }

    [Fact]
    public void With_fragmentation_disable_the_same_ike_auth_is_lost_and_nothing_comes_up()
    {
        Scenario.Run(seed: 73832, simulation =>
        {
            var (hub, client, oversized) = Start(simulation, clientFragmentation: "set fragmentation disable");
            Assert.True(client.Initiate("to-hub", null));
            simulation.RunFor(TimeSpan.FromSeconds(20));

            Assert.Empty(client.InstalledSas);
            Assert.Empty(client.Events<IkeMessageFragmented>());
            Assert.Empty(hub.Events<IkeMessageReassembled>());
            Assert.True(oversized() > 0, "the unfragmented IKE_AUTH was sent and dropped by the link");
        });
    }

    [Fact]
    public void Fragments_reordered_and_lost_on_the_way_still_reassemble()
    {
        Scenario.Run(seed: 73833, simulation =>
        {
            simulation.Network.DefaultConditions = new LinkConditions { Jitter = TimeSpan.FromMilliseconds(40), LossPercent = 10 };
            var (hub, client, _) = Start(simulation, clientFragmentation: "set fragmentation-mtu 576");
            Assert.True(client.Initiate("to-hub", null));
            Assert.True(simulation.RunUntil(() => client.InstalledSas.Count == 1, TimeSpan.FromSeconds(60)), simulation.Describe());
            Assert.True(client.Events<IkeMessageFragmented>().First().Fragments >= 6);
            Assert.NotEmpty(hub.Events<IkeMessageReassembled>());
        });
    }

    /// <summary>Starts the hub and one client, and makes the link drop every datagram whose IP packet exceeds the limit.</summary>
    private static (SimulatedGateway Hub, SimulatedGateway Client, Func<int> Oversized) Start(Simulation simulation, string clientFragmentation)
    {
        int oversized = 0;
        simulation.Network.Interfere = datagram =>
        {
            if (datagram.Payload.Length + IpAndUdpHeaders <= LinkLimit)
            {
                return DatagramFate.Pass;
            }

            oversized++;
            return DatagramFate.Drop;
        };
        var pki = Pki.Value;
        var hub = simulation.AddGateway("hub", HubConfig(pki.Root, pki.Hub, pki.Intermediate), DialUpInstanceScenarios.HubAddress);
        var client = simulation.AddGateway("client", ClientConfig(pki.Root, pki.Client, pki.Intermediate, clientFragmentation), DialUpInstanceScenarios.ClientAddress(0));
        simulation.Start();
        return (hub, client, () => oversized);
    }

    private static IssuedCertificate Leaf(IssuedCertificate issuer, string name) =>
        CertificateTables.Leaf(issuer, $"CN={name},O=SharpSwan Lab", CertificateTables.PaddedNames(name, 40), CertificateKeyAlgorithm.Rsa3072, Now);

    private static string Credentials(IssuedCertificate root, IssuedCertificate leaf, IssuedCertificate intermediate, string name) =>
        new CertificateTables().Ca("root", root).Local(name, leaf, intermediate).Render();

    private static string HubConfig(IssuedCertificate root, IssuedCertificate leaf, IssuedCertificate intermediate) => Credentials(root, leaf, intermediate, "hub") + """
        config vpn ipsec phase1-interface
            edit "dialup"
                set type dynamic
                set interface "port1"
                set ike-version 2
                set authmethod signature
                set certificate "hub"
                set peertype any
                set proposal aes128gcm-prfsha256
                set dhgrp 19
                set mode-cfg enable
                set ipv4-start-ip 10.10.10.1
                set ipv4-end-ip 10.10.10.20
            next
        end
        config vpn ipsec phase2-interface
            edit "dialup-p2"
                set phase1name "dialup"
                set proposal aes128gcm
                set pfs disable
                set src-subnet 10.1.0.0 255.255.255.0
            next
        end
        """;

    private static string ClientConfig(IssuedCertificate root, IssuedCertificate leaf, IssuedCertificate intermediate, string fragmentation) => Credentials(root, leaf, intermediate, "me") + $$"""
        config vpn ipsec phase1-interface
            edit "to-hub"
                set interface "port1"
                set ike-version 2
                set remote-gw 192.0.2.1
                set authmethod signature
                set certificate "me"
                set localid "client1.lab"
                set proposal aes128gcm-prfsha256
                set dhgrp 19
                set mode-cfg enable
                set auto-negotiate disable
                {{fragmentation}}
            next
        end
        config vpn ipsec phase2-interface
            edit "to-hub-p2"
                set phase1name "to-hub"
                set proposal aes128gcm
                set pfs disable
                set dst-subnet 10.1.0.0 255.255.255.0
            next
        end
        """;
}
