using System.Net;
using SharpSwan.Crypto.Certificates;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Wire;
using SharpSwan.Simulation.Tests.Support;
using SharpSwan.Testing;

namespace SharpSwan.Simulation.Tests.Scenarios;

/// <summary>
/// Issue 6: certificate authentication (<c>authmethod signature</c>, RFC 7427) between SharpSwan engines on a dial-up hub:
/// RSA and ECDSA, identities from the certificate, <c>peertype one</c>, and refusal of expired, not-yet-valid, untrusted
/// and wrongly named certificates with AUTHENTICATION_FAILED on the wire and a reason in the hub's log.
/// </summary>
public sealed class DialUpCertificateScenarios
{
    private static readonly DateTimeOffset Now = VirtualClock.DefaultStart;
    private static readonly IssuedCertificate LabCa = CertificateTables.Authority("CN=Lab CA,O=SharpSwan Lab", Now);
    private static readonly IssuedCertificate OtherCa = CertificateTables.Authority("CN=Other CA", Now);
    private static readonly IssuedCertificate HubCertificate = Issue(LabCa, "CN=hub.lab", "dns:hub.lab", CertificateKeyAlgorithm.EcdsaP256);

    [Theory]
    [InlineData(CertificateKeyAlgorithm.EcdsaP256)]
    [InlineData(CertificateKeyAlgorithm.EcdsaP384)]
    [InlineData(CertificateKeyAlgorithm.Rsa2048)]
    public void A_client_with_a_certificate_from_the_trusted_ca_connects_and_gets_an_instance(CertificateKeyAlgorithm algorithm)
    {
        Scenario.Run(seed: 62001, simulation =>
        {
            var client = Issue(LabCa, "CN=client1,O=SharpSwan Lab", "dns:client1.lab", algorithm);
            var hub = simulation.AddGateway("hub", HubConfig("set peertype any"), DialUpInstanceScenarios.HubAddress);
            var one = simulation.AddGateway("one", ClientConfig(client, "client1.lab"), DialUpInstanceScenarios.ClientAddress(0));
            simulation.Start();
            Assert.True(one.Initiate("to-hub", null));
            Assert.True(simulation.RunUntil(() => one.InstalledSas.Count == 1, TimeSpan.FromSeconds(10)), simulation.Describe());
            var instance = Assert.Single(hub.Engine.InstancesOf("dialup"));
            Assert.Equal("client1.lab", instance.Current!.PeerIdentity);
            Assert.Equal("CN=client1, O=SharpSwan Lab", SubjectOf(instance.Current.PeerCertificate!));

            // The client saw the hub's certificate too, and the hub's identity is its subject (no localid set).
            var clientSa = one.Engine.Tunnels.Single().Current!;
            Assert.Equal("CN=hub.lab", SubjectOf(clientSa.PeerCertificate!));
            Assert.True(hub.SendTraffic(Scenario.Packet("10.1.0.5", one.Engine.Tunnels.Single().AssignedAddress!.ToString(), 1)));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(1, one.Traffic("to-hub", "to-hub-p2").Delivered);
        });
    }

    /// <summary>
    /// Certificate authentication replays down to the bytes too: ECDSA and RSA AUTH signatures carry no random nonce
    /// (RFC 6979 for ECDSA, PKCS#1 v1.5 for RSA), so the same seed sends the same datagrams.
    /// </summary>
    [Theory]
    [InlineData(CertificateKeyAlgorithm.EcdsaP256)]
    [InlineData(CertificateKeyAlgorithm.Rsa2048)]
    public void The_same_seed_sends_the_same_datagrams_with_certificates(CertificateKeyAlgorithm algorithm)
    {
        var client = Issue(LabCa, "CN=client1,O=SharpSwan Lab", "dns:client1.lab", algorithm);
        List<string> Record()
        {
            var wire = new List<string>();
            Scenario.Run(seed: 62009, simulation =>
            {
                simulation.Network.DatagramSent += d => wire.Add($"{simulation.Elapsed.Ticks} {d.Source}->{d.Destination} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(d.Payload))}");
                simulation.AddGateway("hub", HubConfig("set peertype any"), DialUpInstanceScenarios.HubAddress);
                var one = simulation.AddGateway("one", ClientConfig(client, "client1.lab"), DialUpInstanceScenarios.ClientAddress(0));
                simulation.Start();
                Assert.True(one.Initiate("to-hub", null));
                Assert.True(simulation.RunUntil(() => one.InstalledSas.Count == 1, TimeSpan.FromSeconds(10)), simulation.Describe());
            });
            return wire;
        }

        var first = Record();
        Assert.True(first.Count >= 4, "IKE_SA_INIT and IKE_AUTH both ways");
        Assert.Equal(first, Record());
    }

    [Fact]
    public void Peertype_one_accepts_only_the_configured_subject()
    {
        Scenario.Run(seed: 62002, simulation =>
        {
            var good = Issue(LabCa, "CN=client1,O=SharpSwan Lab", "dns:client1.lab", CertificateKeyAlgorithm.EcdsaP256);
            var other = Issue(LabCa, "CN=client2,O=SharpSwan Lab", "dns:client2.lab", CertificateKeyAlgorithm.EcdsaP256);
            var hub = simulation.AddGateway("hub", HubConfig("set peertype one\n        set peerid \"CN=client1, O=SharpSwan Lab\""), DialUpInstanceScenarios.HubAddress);
            var one = simulation.AddGateway("one", ClientConfig(good, localId: null), DialUpInstanceScenarios.ClientAddress(0));
            var two = simulation.AddGateway("two", ClientConfig(other, localId: null), DialUpInstanceScenarios.ClientAddress(1));
            simulation.Start();
            Assert.True(one.Initiate("to-hub", null));
            Assert.True(two.Initiate("to-hub", null));
            simulation.RunFor(TimeSpan.FromSeconds(5));
            Assert.Single(one.InstalledSas);
            Assert.Empty(two.InstalledSas);
            Assert.Equal("CN=client1, O=SharpSwan Lab", Assert.Single(hub.Engine.InstancesOf("dialup")).Current!.PeerIdentity);
            Assert.True(two.Events<NegotiationFailed>().Any(e => e.Notify == NotifyType.AuthenticationFailed), simulation.Describe());
        });
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "expired", "expired" },
        { "not-yet-valid", "not valid before" },
        { "untrusted", "not a trusted CA" },
        { "wrong-name", "is not in its certificate" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_bad_certificate_is_refused_with_a_reason_and_established_peers_are_unaffected(string kind, string reason)
    {
        Scenario.Run(seed: 62003, simulation =>
        {
            var good = Issue(LabCa, "CN=client1", "dns:client1.lab", CertificateKeyAlgorithm.EcdsaP256);
            var (bad, badId) = kind switch
            {
                "expired" => (CertificateFactory.Issue(LabCa, "CN=old", ["dns:old.lab"], CertificateKeyAlgorithm.EcdsaP256, Now.AddDays(-20), Now.AddDays(-1)), "old.lab"),
                "not-yet-valid" => (CertificateFactory.Issue(LabCa, "CN=early", ["dns:early.lab"], CertificateKeyAlgorithm.EcdsaP256, Now.AddDays(10), Now.AddYears(1)), "early.lab"),
                "untrusted" => (Issue(OtherCa, "CN=stranger", "dns:stranger.lab", CertificateKeyAlgorithm.EcdsaP256), "stranger.lab"),
                _ => (Issue(LabCa, "CN=liar", "dns:liar.lab", CertificateKeyAlgorithm.EcdsaP256), "client1.lab"),
            };
            var hub = simulation.AddGateway("hub", HubConfig("set peertype any"), DialUpInstanceScenarios.HubAddress);
            var one = simulation.AddGateway("one", ClientConfig(good, "client1.lab"), DialUpInstanceScenarios.ClientAddress(0));
            var intruder = simulation.AddGateway("bad", ClientConfig(bad, badId), DialUpInstanceScenarios.ClientAddress(1));
            simulation.Start();
            Assert.True(one.Initiate("to-hub", null));
            Assert.True(simulation.RunUntil(() => one.InstalledSas.Count == 1, TimeSpan.FromSeconds(10)), simulation.Describe());
            var spi = Assert.Single(hub.InstalledSas).InboundSpi;

            Assert.True(intruder.Initiate("to-hub", null));
            simulation.RunFor(TimeSpan.FromSeconds(5));
            Assert.True(hub.Events<AuthenticationFailed>().Any(e => e.Reason.Contains(reason, StringComparison.Ordinal)), simulation.Describe());
            Assert.True(intruder.Events<NegotiationFailed>().Any(e => e.Notify == NotifyType.AuthenticationFailed), simulation.Describe());
            Assert.Empty(intruder.InstalledSas);
            Assert.Single(hub.Engine.InstancesOf("dialup"));
            Assert.Equal(spi, Assert.Single(hub.InstalledSas).InboundSpi);
        });
    }

    [Fact]
    public void A_client_whose_certificate_a_configured_CRL_lists_is_refused_as_revoked()
    {
        Scenario.Run(seed: 62011, simulation =>
        {
            var good = Issue(LabCa, "CN=client1", "dns:client1.lab", CertificateKeyAlgorithm.EcdsaP256);
            var stolen = Issue(LabCa, "CN=stolen", "dns:stolen.lab", CertificateKeyAlgorithm.EcdsaP256);
            var crl = CertificateTables.RevocationList(LabCa, Now, stolen);
            var hub = simulation.AddGateway("hub", HubConfig("set peertype any") + CrlTable(crl), DialUpInstanceScenarios.HubAddress);
            var one = simulation.AddGateway("one", ClientConfig(good, "client1.lab"), DialUpInstanceScenarios.ClientAddress(0));
            var thief = simulation.AddGateway("thief", ClientConfig(stolen, "stolen.lab"), DialUpInstanceScenarios.ClientAddress(1));
            simulation.Start();
            Assert.True(one.Initiate("to-hub", null));
            Assert.True(simulation.RunUntil(() => one.InstalledSas.Count == 1, TimeSpan.FromSeconds(10)), simulation.Describe());

            Assert.True(thief.Initiate("to-hub", null));
            simulation.RunFor(TimeSpan.FromSeconds(5));
            var refused = Assert.Single(hub.Events<PeerCertificateRefused>());
            Assert.Equal(CertificateProblem.Revoked, refused.Problem);
            Assert.Contains(hub.Events<AuthenticationFailed>(), e => e.Reason == refused.Reason);
            Assert.True(thief.Events<NegotiationFailed>().Any(e => e.Notify == NotifyType.AuthenticationFailed), simulation.Describe());
            Assert.Empty(thief.InstalledSas);
            Assert.Single(hub.Engine.InstancesOf("dialup"));
        });
    }

    [Fact]
    public void An_initiator_refuses_a_hub_whose_certificate_its_CRL_lists()
    {
        Scenario.Run(seed: 62012, simulation =>
        {
            var client = Issue(LabCa, "CN=client1", "dns:client1.lab", CertificateKeyAlgorithm.EcdsaP256);
            var crl = CertificateTables.RevocationList(LabCa, Now, HubCertificate);
            simulation.AddGateway("hub", HubConfig("set peertype any"), DialUpInstanceScenarios.HubAddress);
            var one = simulation.AddGateway("one", ClientConfig(client, "client1.lab") + CrlTable(crl), DialUpInstanceScenarios.ClientAddress(0));
            simulation.Start();
            Assert.True(one.Initiate("to-hub", null));
            simulation.RunFor(TimeSpan.FromSeconds(5));

            var refused = Assert.Single(one.Events<PeerCertificateRefused>());
            Assert.Equal(CertificateProblem.Revoked, refused.Problem);
            Assert.Contains(one.Events<NegotiationFailed>(), e => e.Reason == refused.Reason);
            Assert.Empty(one.InstalledSas);
        });
    }

    [Fact]
    public void A_client_certificate_that_may_not_sign_is_refused_for_its_key_usage()
    {
        Scenario.Run(seed: 62013, simulation =>
        {
            var encryptOnly = IssueWithUsage(LabCa, "CN=encrypt-only", "encrypt.lab", System.Security.Cryptography.X509Certificates.X509KeyUsageFlags.KeyEncipherment);
            var hub = simulation.AddGateway("hub", HubConfig("set peertype any"), DialUpInstanceScenarios.HubAddress);
            var client = simulation.AddGateway("client", ClientConfig(encryptOnly, "encrypt.lab"), DialUpInstanceScenarios.ClientAddress(0));
            simulation.Start();
            Assert.True(client.Initiate("to-hub", null));
            simulation.RunFor(TimeSpan.FromSeconds(5));

            Assert.Equal(CertificateProblem.KeyUsage, Assert.Single(hub.Events<PeerCertificateRefused>()).Problem);
            Assert.Empty(client.InstalledSas);
        });
    }

    /// <summary>
    /// Issue 16 item 7: <c>peertype peergrp</c> accepts only certificates that match a member of its <c>user peergrp</c>
    /// (subject attributes, or cn with the issuing CA); a certificate from the same trusted CA that matches no member is
    /// refused with PeerMismatch and AUTHENTICATION_FAILED.
    /// </summary>
    [Fact]
    public void A_peer_group_admits_only_certificates_matching_one_of_its_user_peers()
    {
        Scenario.Run(seed: 62021, simulation =>
        {
            var member = Issue(LabCa, "CN=client1,O=SharpSwan Lab", "dns:client1.lab", CertificateKeyAlgorithm.EcdsaP256);
            var byCn = Issue(LabCa, "CN=client3.lab", "dns:client3.lab", CertificateKeyAlgorithm.EcdsaP256);
            var stranger = Issue(LabCa, "CN=client2,O=SharpSwan Lab", "dns:client2.lab", CertificateKeyAlgorithm.EcdsaP256);
            const string Peers = """

                config user peer
                    edit "first"
                        set subject "O=SharpSwan Lab, CN=client1"
                    next
                    edit "third"
                        set ca "lab-ca"
                        set cn "CLIENT3.lab"
                        set cn-type FQDN
                    next
                end
                config user peergrp
                    edit "lab-clients"
                        set member "first" "third"
                    next
                end
                """;
            var hub = simulation.AddGateway("hub", HubConfig("set peertype peergrp\n        set peergrp \"lab-clients\"") + Peers, DialUpInstanceScenarios.HubAddress);
            var one = simulation.AddGateway("one", ClientConfig(member, "client1.lab"), DialUpInstanceScenarios.ClientAddress(0));
            var three = simulation.AddGateway("three", ClientConfig(byCn, "client3.lab"), DialUpInstanceScenarios.ClientAddress(1));
            var two = simulation.AddGateway("two", ClientConfig(stranger, "client2.lab"), DialUpInstanceScenarios.ClientAddress(2));
            simulation.Start();
            Assert.True(one.Initiate("to-hub", null));
            Assert.True(three.Initiate("to-hub", null));
            Assert.True(simulation.RunUntil(() => one.InstalledSas.Count == 1 && three.InstalledSas.Count == 1, TimeSpan.FromSeconds(10)), simulation.Describe());

            Assert.True(two.Initiate("to-hub", null));
            simulation.RunFor(TimeSpan.FromSeconds(5));
            var refused = Assert.Single(hub.Events<PeerCertificateRefused>());
            Assert.Equal(CertificateProblem.PeerMismatch, refused.Problem);
            Assert.Contains("peergrp lab-clients", refused.Reason, StringComparison.Ordinal);
            Assert.True(two.Events<NegotiationFailed>().Any(e => e.Notify == NotifyType.AuthenticationFailed), simulation.Describe());
            Assert.Empty(two.InstalledSas);
            Assert.Equal(2, hub.Engine.InstancesOf("dialup").Count());
        });
    }

    // The configurations it follows end without a line break.
    private static string CrlTable(string crlPem) => "\n" + new CertificateTables().Crl("lab-crl", crlPem).Render();

    /// <summary>A leaf of <paramref name="ca"/> with exactly this keyUsage (CertificateFactory always allows signing).</summary>
    private static IssuedCertificate IssueWithUsage(IssuedCertificate ca, string subject, string dnsName, System.Security.Cryptography.X509Certificates.X509KeyUsageFlags usage)
    {
        using var issuer = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(ca.CertificatePem, ca.PrivateKeyPem);
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(subject, key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509KeyUsageExtension(usage, true));
        var names = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.Create(issuer, Now.AddDays(-1), Now.AddDays(30), [7, 7, 7]);
        return new IssuedCertificate(certificate.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    private static IssuedCertificate Issue(IssuedCertificate ca, string subject, string san, CertificateKeyAlgorithm algorithm) =>
        CertificateTables.Leaf(ca, subject, san, algorithm, Now);

    private static string SubjectOf(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate) =>
        CertificateIdentity.Describe(CertificateIdentityKind.DistinguishedName, CertificateIdentity.SubjectDer(certificate));

    private static string HubConfig(string peerLines) => new CertificateTables().Ca("lab-ca", LabCa).Local("hub", HubCertificate).Render() + $$"""
        config vpn ipsec phase1-interface
            edit "dialup"
                set type dynamic
                set interface "port1"
                set ike-version 2
                set authmethod signature
                set certificate "hub"
                {{peerLines}}
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

    private static string ClientConfig(IssuedCertificate certificate, string? localId, IssuedCertificate? trustCa = null) =>
        new CertificateTables().Ca("ca", trustCa ?? LabCa).Local("me", certificate).Render() + $$"""
        config vpn ipsec phase1-interface
            edit "to-hub"
                set interface "port1"
                set ike-version 2
                set remote-gw 192.0.2.1
                set authmethod signature
                set certificate "me"
                {{(localId is null ? string.Empty : $"set localid \"{localId}\"")}}
                set proposal aes128gcm-prfsha256
                set dhgrp 19
                set mode-cfg enable
                set auto-negotiate disable
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
