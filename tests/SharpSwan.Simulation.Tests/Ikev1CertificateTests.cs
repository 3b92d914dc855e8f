using SharpSwan.Crypto.Certificates;
using SharpSwan.Ike.Events;
using SharpSwan.Simulation.Tests.Support;
using SharpSwan.Testing;

namespace SharpSwan.Simulation.Tests;

/// <summary>
/// IKEv1 main and aggressive mode with certificates (RFC 2409 §5.1, <c>authmethod signature</c>) between two SharpSwan gateways: RSA and
/// ECDSA signatures over HASH_I/HASH_R, identities from the certificates' subjects, and the certificate checks IKEv2
/// uses (trust, <c>peer</c> matching) refusing with typed events.
/// </summary>
public sealed class Ikev1CertificateTests
{
    private static readonly DateTimeOffset Now = VirtualClock.DefaultStart;
    private static readonly IssuedCertificate LabCa = CertificateTables.Authority("CN=Lab CA,O=SharpSwan Lab", Now);
    private static readonly IssuedCertificate OtherCa = CertificateTables.Authority("CN=Other CA", Now);

    [Theory]
    [InlineData(CertificateKeyAlgorithm.EcdsaP256, "aes128-sha256")]
    [InlineData(CertificateKeyAlgorithm.EcdsaP384, "aes256-sha1")]
    [InlineData(CertificateKeyAlgorithm.Rsa2048, "aes128-sha256")]
    public void Main_mode_with_certificates_authenticates_both_ends_and_carries_traffic(CertificateKeyAlgorithm algorithm, string proposal) =>
        RunAuthenticatedByCertificates(
            seed: 1351,
            algorithm,
            TunnelConfig.SiteA.Ikev1() with { AutoNegotiate = true, Proposals = proposal },
            TunnelConfig.SiteB.Ikev1() with { Proposals = proposal });

    /// <summary>
    /// The responder's <c>peertype peer</c> names a user peer whose cn is not the initiator's: the trusted certificate is
    /// refused as PeerMismatch (the same check as IKEv2), authentication fails, and no SA comes up.
    /// </summary>
    [Fact]
    public void A_trusted_certificate_that_does_not_match_the_user_peer_is_refused_as_a_peer_mismatch()
    {
        var siteA = Issue(LabCa, "CN=site-a.lab,O=SharpSwan Lab", "dns:site-a.lab", CertificateKeyAlgorithm.EcdsaP256);
        var siteB = Issue(LabCa, "CN=site-b.lab,O=SharpSwan Lab", "dns:site-b.lab", CertificateKeyAlgorithm.EcdsaP256);
        const string Peer = "config user peer\n    edit \"other\"\n        set ca \"lab-ca\"\n        set cn \"someone-else.lab\"\n    next\nend\n";
        Ikev1Rig.Run(
            seed: 1352,
            Config(TunnelConfig.SiteA.Ikev1() with { AutoNegotiate = true }, siteA),
            Peer + Config(TunnelConfig.SiteB.Ikev1(), siteB, "set peertype peer\n        set peer \"other\""),
            rig =>
            {
                var (a, b) = rig;
                rig.RunFor(10);

                var refused = Assert.Single(b.Events<PeerCertificateRefused>().DistinctBy(e => e.Subject));
                Assert.Equal(CertificateProblem.PeerMismatch, refused.Problem);
                Assert.Contains("CN=site-a.lab", refused.Subject, StringComparison.Ordinal);
                Assert.NotEmpty(b.Events<AuthenticationFailed>());
                Assert.Empty(a.InstalledSas);
                Assert.Empty(b.InstalledSas);
            });
    }

    [Fact]
    public void A_certificate_from_a_ca_the_initiator_does_not_trust_fails_its_main_mode() =>
        RunAgainstAnUntrustedResponder(seed: 1353, TunnelConfig.SiteA.Ikev1() with { AutoNegotiate = true }, TunnelConfig.SiteB.Ikev1());

    /// <summary>
    /// Aggressive mode with certificates (RFC 2409 §5.1) between static peers: the ID (the certificate's subject DN) and a CR
    /// in message 1, CERT and SIG_R in message 2, CERT and SIG_I in message 3; either end may start it.
    /// </summary>
    [Theory]
    [InlineData(CertificateKeyAlgorithm.EcdsaP256, true, 1354)]
    [InlineData(CertificateKeyAlgorithm.Rsa2048, false, 1355)]
    public void Aggressive_mode_with_certificates_authenticates_both_ends_and_carries_traffic(CertificateKeyAlgorithm algorithm, bool aInitiates, int seed) =>
        RunAuthenticatedByCertificates(
            seed,
            algorithm,
            TunnelConfig.SiteA.Ikev1() with { Mode = "aggressive", AutoNegotiate = aInitiates },
            TunnelConfig.SiteB.Ikev1() with { Mode = "aggressive", AutoNegotiate = !aInitiates },
            rig =>
            {
                Assert.Equal("aggressive", Assert.Single(rig.A.Events<IsakmpNegotiationStarted>()).Mode);
                Assert.Equal(aInitiates, rig.A.Engine.Tunnels.Single().Current!.IsOriginalInitiator);
            });

    /// <summary>In aggressive mode the responder's certificate arrives in message 2: one from an untrusted CA fails the initiator there.</summary>
    [Fact]
    public void Aggressive_mode_refuses_a_responder_certificate_from_an_untrusted_ca() =>
        RunAgainstAnUntrustedResponder(
            seed: 1356,
            TunnelConfig.SiteA.Ikev1() with { Mode = "aggressive", AutoNegotiate = true },
            TunnelConfig.SiteB.Ikev1() with { Mode = "aggressive" },
            rig =>
            {
                Assert.Empty(rig.A.Events<IkeSaEstablished>());
                Assert.Empty(rig.B.InstalledSas);
            });

    /// <summary>
    /// A and B signed with lab-CA certificates of <paramref name="algorithm"/>: the tunnel comes up, <paramref name="check"/>
    /// (if any) runs, each end's ISAKMP SA names the other's certificate subject as its identity and holds exactly that certificate,
    /// and traffic flows both ways.
    /// </summary>
    private static void RunAuthenticatedByCertificates(int seed, CertificateKeyAlgorithm algorithm, TunnelConfig a, TunnelConfig b, Action<Ikev1Rig>? check = null)
    {
        var siteA = Issue(LabCa, "CN=site-a.lab,O=SharpSwan Lab", "dns:site-a.lab", algorithm);
        var siteB = Issue(LabCa, "CN=site-b.lab,O=SharpSwan Lab", "dns:site-b.lab", algorithm);
        Ikev1Rig.Run(seed, Config(a, siteA), Config(b, siteB), rig =>
        {
            rig.Establish();
            check?.Invoke(rig);

            var ikeA = rig.A.Engine.Tunnels.Single().Current!;
            var ikeB = rig.B.Engine.Tunnels.Single().Current!;
            Assert.Equal("CN=site-b.lab, O=SharpSwan Lab", ikeA.PeerIdentity);
            Assert.Equal("CN=site-a.lab, O=SharpSwan Lab", ikeB.PeerIdentity);
            Assert.Equal(siteB.CertificatePem.Trim(), ikeA.PeerCertificate!.ExportCertificatePem().Trim());
            Assert.Equal(siteA.CertificatePem.Trim(), ikeB.PeerCertificate!.ExportCertificatePem().Trim());
            rig.AssertTrafficBothWays(3);
        });
    }

    /// <summary>
    /// A's certificate is from the lab CA, B's from another CA that B trusts but A does not: after ten seconds A, the
    /// initiator, has refused B's certificate as untrusted, failed its authentication stage and installed nothing; then
    /// <paramref name="check"/> (if any) runs.
    /// </summary>
    private static void RunAgainstAnUntrustedResponder(int seed, TunnelConfig a, TunnelConfig b, Action<Ikev1Rig>? check = null)
    {
        var siteA = Issue(LabCa, "CN=site-a.lab", "dns:site-a.lab", CertificateKeyAlgorithm.EcdsaP256);
        var siteB = Issue(OtherCa, "CN=site-b.lab", "dns:site-b.lab", CertificateKeyAlgorithm.EcdsaP256);
        Ikev1Rig.Run(seed, Config(a, siteA), Config(b, siteB, trust: [LabCa, OtherCa]), rig =>
        {
            rig.RunFor(10);

            Assert.Contains(rig.A.Events<PeerCertificateRefused>(), e => e.Problem == CertificateProblem.Untrusted && e.Subject == "CN=site-b.lab");
            Assert.Contains(rig.A.Events<NegotiationFailed>(), e => e.Stage == NegotiationStage.IkeAuth);
            Assert.Empty(rig.A.InstalledSas);
            check?.Invoke(rig);
        });
    }

    private static IssuedCertificate Issue(IssuedCertificate ca, string subject, string san, CertificateKeyAlgorithm algorithm) =>
        CertificateTables.Leaf(ca, subject, san, algorithm, Now);

    /// <summary>The tunnel with `authmethod signature` and our certificate instead of the pre-shared key, trusting the lab CA.</summary>
    private static string Config(TunnelConfig tunnel, IssuedCertificate ours, string peerLines = "", IssuedCertificate[]? trust = null)
    {
        var cas = trust ?? [LabCa];
        var tables = new CertificateTables().Local("me", ours);
        for (var i = 0; i < cas.Length; i++)
            tables.Ca(i == 0 ? "lab-ca" : $"ca{i}", cas[i]);
        var text = tunnel.Render();
        var replaced = text.Replace($"set psksecret \"{tunnel.Psk}\"", $"set authmethod signature\n        set certificate \"me\"\n        {peerLines}", StringComparison.Ordinal);
        Assert.NotEqual(text, replaced);
        return tables.Render() + replaced;
    }
}
