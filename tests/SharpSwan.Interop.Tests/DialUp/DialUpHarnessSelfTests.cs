using SharpSwan.Interop.Tests.Harness;

namespace SharpSwan.Interop.Tests.DialUp;

/// <summary>
/// Proves the dial-up harness without SharpSwan: the topology routes and NATs as drawn, and the strongSwan road
/// warriors (PSK, ECDSA and RSA certificates from <see cref="LabCertificates"/>) get virtual IPs from a strongSwan hub
/// in the hub namespace and reach its LAN from them. If these fail, dial-up interop failures say nothing about the gateway.
/// </summary>
public sealed class DialUpHarnessSelfTests
{
    private const string DirectClientAddress = "198.51.100.10";
    private const string NattedClientAddress = "192.168.77.2";
    private const string PskPoolPrefix = "10.10.10.";
    private const string CertificatePoolPrefix = "10.10.20.";

    [Fact]
    public void Topology_RoutesDirectClients_AndMasqueradesClientsBehindNat()
    {
        using DialUpScenario scenario = DialUpScenario.Create(nameof(Topology_RoutesDirectClients_AndMasqueradesClientsBehindNat));
        NetworkNamespace client1 = scenario.Topology.AddDirectHost(DirectClientAddress);
        NetworkNamespace client2 = scenario.Topology.AddHostBehindNat(NattedClientAddress);

        using PacketCapture capture = PacketCapture.Start(
            scenario.Hub, DialUpTopology.WanInterface, "icmp", Path.Combine(scenario.DiagnosticsDirectory, "tcpdump-hub.log"));
        scenario.RequirePing(client1, DirectClientAddress, DialUpTopology.HubWanAddress, count: 3);
        scenario.RequirePing(client2, NattedClientAddress, DialUpTopology.HubWanAddress, count: 3);

        // The hub sees client1 as itself and client2 only as the NAT's public address.
        string Seen() => string.Join('\n', capture.Packets());
        scenario.WaitFor(
            () => capture.Packets().Any(p => p.Contains($"IP {DirectClientAddress} > {DialUpTopology.HubWanAddress}: ICMP echo request", StringComparison.Ordinal))
                && capture.Packets().Any(p => p.Contains($"IP {DialUpTopology.NatPublicAddress} > {DialUpTopology.HubWanAddress}: ICMP echo request", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10),
            $"tcpdump on the hub's wan0 shows echo requests from {DirectClientAddress} and from the NAT's {DialUpTopology.NatPublicAddress}; saw:\n{Seen()}");
        scenario.Require(
            !capture.Packets().Any(p => p.Contains(NattedClientAddress, StringComparison.Ordinal)),
            $"the private address {NattedClientAddress} never appears on the hub's wan0; saw:\n{Seen()}");

        // Nothing reaches the private side from outside: the NAT only translates connections from the inside.
        scenario.Require(
            Traffic.Ping(scenario.Hub, DialUpTopology.HubWanAddress, NattedClientAddress, 2) == 0,
            $"the hub cannot reach {NattedClientAddress} directly");
    }

    [Fact]
    public void StrongSwanHub_GivesRoadWarriorsVirtualIps_PskEcdsaAndRsa()
    {
        using DialUpScenario scenario = DialUpScenario.Create(nameof(StrongSwanHub_GivesRoadWarriorsVirtualIps_PskEcdsaAndRsa));
        LabCertificates certificates = scenario.Certificates;
        NetworkNamespace client1 = scenario.Topology.AddDirectHost(DirectClientAddress);
        NetworkNamespace client2 = scenario.Topology.AddHostBehindNat(NattedClientAddress);
        NetworkNamespace client3 = scenario.Topology.AddHostBehindNat("192.168.77.3");

        StrongSwanPeer hub = StrongSwanPeer.Start(
            scenario.Hub,
            StrongSwanHubConf(scenario.PreSharedKey),
            new Dictionary<string, string>
            {
                ["x509/hub.crt"] = certificates.Hub.CertificatePem,
                ["private/hub.key"] = certificates.Hub.PrivateKeyPem,
                ["x509ca/ca.crt"] = certificates.Authority.CertificatePem,
            },
            "hub",
            scenario.DiagnosticsDirectory);
        try
        {
            hub.LoadAll();
            StrongSwanPeer psk = scenario.StartRoadWarrior(client1, scenario.PskClient("client1.lab"), "client1");
            StrongSwanPeer ecdsa = scenario.StartRoadWarrior(
                client2, scenario.CertificateClient(LabCertificates.EcdsaClientId, certificates.EcdsaClient), "client2");
            StrongSwanPeer rsa = scenario.StartRoadWarrior(
                client3, scenario.CertificateClient(LabCertificates.RsaClientId, certificates.RsaClient), "client3");

            // swanctl --load-all loaded the certificates next to swanctl.conf.
            string ecdsaCerts = ecdsa.Swanctl(TimeSpan.FromSeconds(15), "--list-certs").StandardOutput;
            scenario.Require(
                SubjectListed(ecdsaCerts, LabCertificates.EcdsaClientId)
                && ecdsaCerts.Contains("pubkey:    ECDSA 256 bits", StringComparison.Ordinal)
                && SubjectListed(ecdsaCerts, "SharpSwan Lab CA")
                && ecdsaCerts.Contains("self-signed", StringComparison.Ordinal),
                $"client2 lists its ECDSA certificate and the lab CA; got:\n{ecdsaCerts}");
            string rsaCerts = rsa.Swanctl(TimeSpan.FromSeconds(15), "--list-certs").StandardOutput;
            scenario.Require(
                SubjectListed(rsaCerts, LabCertificates.RsaClientId)
                && rsaCerts.Contains("pubkey:    RSA 2048 bits", StringComparison.Ordinal),
                $"client3 lists its RSA-2048 certificate; got:\n{rsaCerts}");

            string pskVip = scenario.Connect(psk);
            string ecdsaVip = scenario.Connect(ecdsa);
            string rsaVip = scenario.Connect(rsa);
            scenario.Require(pskVip.StartsWith(PskPoolPrefix, StringComparison.Ordinal), $"client1's virtual IP {pskVip} is from the psk pool");
            scenario.Require(ecdsaVip.StartsWith(CertificatePoolPrefix, StringComparison.Ordinal), $"client2's virtual IP {ecdsaVip} is from the certificate pool");
            scenario.Require(rsaVip.StartsWith(CertificatePoolPrefix, StringComparison.Ordinal) && rsaVip != ecdsaVip, $"client3's virtual IP {rsaVip} is another one from the certificate pool");
            scenario.Require(
                DialUpOutput.RemoteIdentity(ecdsa.ListSas()) == LabCertificates.HubId,
                $"client2 authenticated the hub as {LabCertificates.HubId}; got {DialUpOutput.RemoteIdentity(ecdsa.ListSas())}");

            // libipsec puts the virtual IP on its TUN device, so it can be a ping source.
            scenario.RequirePing(client1, pskVip, DialUpTopology.HubLanAddress);
            scenario.RequirePing(client2, ecdsaVip, DialUpTopology.HubLanAddress);
            scenario.RequirePing(client3, rsaVip, DialUpTopology.HubLanAddress);
        }
        catch (Xunit.Sdk.XunitException exception)
        {
            Assert.Fail($"{exception.Message}\n---- strongSwan hub ----\n{hub.ListSas()}\n{string.Join('\n', hub.LogTail(80))}");
        }
        finally
        {
            hub.Dispose();
        }
    }

    [Fact]
    public void StrongSwanHub_RefusalsReachTheRoadWarriorsAsNotifies()
    {
        using DialUpScenario scenario = DialUpScenario.Create(nameof(StrongSwanHub_RefusalsReachTheRoadWarriorsAsNotifies));
        NetworkNamespace client1 = scenario.Topology.AddDirectHost(DirectClientAddress);
        NetworkNamespace late = scenario.Topology.AddHostBehindNat(NattedClientAddress);
        NetworkNamespace intruder = scenario.Topology.AddHostBehindNat("192.168.77.3");

        // One PSK connection whose pool holds a single address.
        string hubConf = StrongSwanHubConf(scenario.PreSharedKey)
            .Replace("id = client1.lab", "id = %any", StringComparison.Ordinal)
            .Replace($"addrs = {PskPoolPrefix}1-{PskPoolPrefix}20", $"addrs = {PskPoolPrefix}1-{PskPoolPrefix}1", StringComparison.Ordinal);
        StrongSwanPeer hub = StrongSwanPeer.Start(scenario.Hub, hubConf, new Dictionary<string, string>
        {
            ["x509/hub.crt"] = scenario.Certificates.Hub.CertificatePem,
            ["private/hub.key"] = scenario.Certificates.Hub.PrivateKeyPem,
            ["x509ca/ca.crt"] = scenario.Certificates.Authority.CertificatePem,
        }, "hub", scenario.DiagnosticsDirectory);
        try
        {
            hub.LoadAll();
            StrongSwanPeer first = scenario.StartRoadWarrior(client1, scenario.PskClient("client1.lab"), "client1");
            StrongSwanPeer second = scenario.StartRoadWarrior(late, scenario.PskClient("late.lab"), "late");
            StrongSwanPeer wrong = scenario.StartRoadWarrior(intruder, scenario.PskClient("intruder.lab", "not-" + scenario.PreSharedKey), "intruder");

            string vip = scenario.Connect(first);
            scenario.Require(vip == PskPoolPrefix + "1", $"client1 gets the only address; got {vip}");
            scenario.RequireRefused(wrong, "AUTHENTICATION_FAILED");
            scenario.RequireRefused(second, "INTERNAL_ADDRESS_FAILURE");
            scenario.Require(DialUpOutput.VirtualIps(second.ListSas()).Count == 0, $"the late client holds no virtual IP:\n{second.ListSas()}");
            scenario.RequirePing(client1, vip, DialUpTopology.HubLanAddress);
        }
        catch (Xunit.Sdk.XunitException exception)
        {
            Assert.Fail($"{exception.Message}\n---- strongSwan hub ----\n{hub.ListSas()}\n{string.Join('\n', hub.LogTail(80))}");
        }
        finally
        {
            hub.Dispose();
        }
    }

    /// <summary>A <c>subject: "..."</c> line of swanctl --list-certs with this CN (RDN order is the factory's choice).</summary>
    private static bool SubjectListed(string listCerts, string commonName) =>
        System.Text.RegularExpressions.Regex.IsMatch(listCerts, $@"subject:\s+""[^""\n]*CN={System.Text.RegularExpressions.Regex.Escape(commonName)}(,|"")");

    /// <summary>strongSwan as the dial-up hub: one PSK connection (for client1.lab) and one certificate connection, each with a pool.</summary>
    private static string StrongSwanHubConf(string preSharedKey) => $$"""
        connections {
          rw-psk {
            version = 2
            local_addrs = {{DialUpTopology.HubWanAddress}}
            pools = psk-pool
            proposals = aes256gcm16-prfsha384-ecp384
            local {
              auth = psk
            }
            remote {
              auth = psk
              id = client1.lab
            }
            children {
              c {
                local_ts = {{DialUpTopology.HubLanSubnet}}
                esp_proposals = aes256gcm16-ecp384
              }
            }
          }
          rw-cert {
            version = 2
            local_addrs = {{DialUpTopology.HubWanAddress}}
            pools = cert-pool
            proposals = aes256gcm16-prfsha384-ecp384
            local {
              auth = pubkey
              certs = hub.crt
              id = {{LabCertificates.HubId}}
            }
            remote {
              auth = pubkey
              cacerts = ca.crt
            }
            children {
              c {
                local_ts = {{DialUpTopology.HubLanSubnet}}
                esp_proposals = aes256gcm16-ecp384
              }
            }
          }
        }
        pools {
          psk-pool {
            addrs = {{PskPoolPrefix}}1-{{PskPoolPrefix}}20
          }
          cert-pool {
            addrs = {{CertificatePoolPrefix}}1-{{CertificatePoolPrefix}}20
          }
        }
        secrets {
          ike-psk {
            secret = "{{preSharedKey}}"
          }
        }
        """;
}
