using System.Text;
using SharpSwan.Crypto.Certificates;
using SharpSwan.Interop.Tests.Harness;
using SharpSwan.Testing;

namespace SharpSwan.Interop.Tests;

/// <summary>
/// Issue 11 item 15: RFC 7383 fragmentation against strongSwan 5.9.8 (<c>fragmentation = yes</c>). Both ends authenticate
/// with RSA-3072 certificates padded with subject alternative names and sent with their intermediate CA, so each IKE_AUTH
/// is several kilobytes, on a link whose nftables rules (in the test namespaces, gone with them) drop every UDP datagram
/// above 1300 bytes and every IP fragment. The tunnel comes up only because both ends send IKE_AUTH in fragments.
/// </summary>
public sealed class IkeFragmentationInteropTests
{
    private const string Phase1 = "to-branch";
    private const string Phase2 = "to-branch-p2";
    private const int LinkLimit = 1300;

    private static readonly TimeSpan EstablishTimeout = TimeSpan.FromSeconds(25);
    private static readonly Lazy<FragmentationPki> Pki = new(FragmentationPki.Create);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LargeCertificateIkeAuth_CrossesALinkThatDropsBigDatagrams_InFragments(bool sharpSwanInitiates)
    {
        using InteropScenario scenario = InteropScenario.Create($"{nameof(LargeCertificateIkeAuth_CrossesALinkThatDropsBigDatagrams_InFragments)}-{(sharpSwanInitiates ? "sharpswan" : "strongswan")}");
        DropBigDatagrams(scenario.A);
        DropBigDatagrams(scenario.B);
        StrongSwanPeer branch = StartBranch(scenario);
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, HeadquartersConfig(scenario, fragmentation: true), "A");

        if (sharpSwanInitiates)
        {
            gateway.Cli($"diagnose vpn tunnel up {Phase2} {Phase1}");
        }
        else
        {
            ProcessResult initiate = branch.Initiate();
            scenario.Require(initiate.Succeeded, $"swanctl --initiate --child c succeeds; got {initiate.Describe()}");
        }

        scenario.WaitForChildSa(branch, gateway, EstablishTimeout, "strongSwan lists an INSTALLED CHILD_SA");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA);

        // Both directions of IKE_AUTH needed fragments: ours went out cut, strongSwan's came in cut and were put together.
        string stats = gateway.Cli("diagnose vpn ike stats");
        scenario.Require(Counter(stats, "tx.fragmented") >= 1, $"SharpSwan sent a fragmented message; diagnose vpn ike stats:\n{stats}");
        scenario.Require(Counter(stats, "rx.reassembled") >= 1, $"SharpSwan reassembled strongSwan's fragments; diagnose vpn ike stats:\n{stats}");
        scenario.Require(Counter(stats, "rx.fragment.drop") == 0, $"no fragment was dropped; diagnose vpn ike stats:\n{stats}");
    }

    [Fact]
    public void WithFragmentationDisabled_TheSameIkeAuthNeverArrives()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(WithFragmentationDisabled_TheSameIkeAuthNeverArrives));
        DropBigDatagrams(scenario.A);
        DropBigDatagrams(scenario.B);
        StrongSwanPeer branch = StartBranch(scenario);
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, HeadquartersConfig(scenario, fragmentation: false), "A");

        gateway.Cli($"diagnose vpn tunnel up {Phase2} {Phase1}");
        Thread.Sleep(TimeSpan.FromSeconds(8));

        scenario.Require(branch.InstalledChildSas().Count == 0, "no CHILD_SA: the unfragmented IKE_AUTH is dropped on the link");
        string stats = gateway.Cli("diagnose vpn ike stats");
        scenario.Require(Counter(stats, "tx.fragmented") <= 0, $"SharpSwan never fragmented with fragmentation disable; got:\n{stats}");
    }

    /// <summary>Drops, in this namespace, UDP datagrams above the limit before the kernel could fragment them, and IP fragments.</summary>
    private static void DropBigDatagrams(NetworkNamespace ns)
    {
        ns.Run("nft", "add table inet frag-test");
        ns.Run("nft", "add chain inet frag-test out { type filter hook output priority 0 ; }");
        ns.Run("nft", "add chain inet frag-test in { type filter hook input priority -400 ; }");
        ns.Run("nft", $"add rule inet frag-test out meta l4proto udp meta length > {LinkLimit} counter drop");
        ns.Run("nft", "add rule inet frag-test in ip frag-off & 0x3fff != 0 counter drop");
    }

    private static StrongSwanPeer StartBranch(InteropScenario scenario)
    {
        var pki = Pki.Value;
        var conf = new StringBuilder();
        conf.AppendLine("connections {");
        conf.AppendLine("  t {");
        conf.AppendLine("    version = 2");
        conf.AppendLine($"    local_addrs = {TwoSiteTopology.WanAddressB}");
        conf.AppendLine($"    remote_addrs = {TwoSiteTopology.WanAddressA}");
        conf.AppendLine("    encap = yes");
        conf.AppendLine("    fragmentation = yes");
        conf.AppendLine("    send_certreq = yes");
        conf.AppendLine("    proposals = aes256gcm16-prfsha384-ecp384");
        conf.AppendLine("    local {");
        conf.AppendLine("      auth = pubkey");
        conf.AppendLine("      certs = branch.crt");
        conf.AppendLine($"      id = {FragmentationPki.BranchId}");
        conf.AppendLine("    }");
        conf.AppendLine("    remote {");
        conf.AppendLine("      auth = pubkey");
        conf.AppendLine("      cacerts = root.crt");
        conf.AppendLine("    }");
        conf.AppendLine("    children {");
        conf.AppendLine("      c {");
        conf.AppendLine($"        local_ts = {TwoSiteTopology.LanSubnetB}");
        conf.AppendLine($"        remote_ts = {TwoSiteTopology.LanSubnetA}");
        conf.AppendLine("        esp_proposals = aes256gcm16-ecp384");
        conf.AppendLine("        start_action = none");
        conf.AppendLine("      }");
        conf.AppendLine("    }");
        conf.AppendLine("  }");
        conf.AppendLine("}");
        var files = new Dictionary<string, string>
        {
            ["x509/branch.crt"] = pki.Branch.CertificatePem,
            ["private/branch.key"] = pki.Branch.PrivateKeyPem,
            ["x509ca/root.crt"] = pki.Root.CertificatePem,
            ["x509ca/intermediate.crt"] = pki.Intermediate.CertificatePem,
        };
        return scenario.StartStrongSwan(scenario.B, conf.ToString(), files, "B");
    }

    private static string HeadquartersConfig(InteropScenario scenario, bool fragmentation)
    {
        var pki = Pki.Value;
        // The leaf, then its intermediate: SharpSwan sends both.
        string tables = new CertificateTables().Ca("root", pki.Root).Local("hq", pki.Headquarters, pki.Intermediate).Render();
        string text = scenario.HeadquartersConfig().Render();
        string psk = $"        set psksecret \"{scenario.PreSharedKey}\"";
        scenario.Require(text.Contains(psk, StringComparison.Ordinal), "the two-site configuration has its psksecret line to replace");
        string signature = string.Join(
            '\n',
            "        set authmethod signature",
            "        set certificate \"hq\"",
            "        set peertype any",
            $"        set fragmentation {(fragmentation ? "enable" : "disable")}",
            "        set fragmentation-mtu 1200");
        return tables + text.Replace(psk, signature, StringComparison.Ordinal);
    }

    private static long Counter(string stats, string name)
    {
        foreach (string line in stats.Split('\n'))
        {
            if (line.StartsWith(name + ":", StringComparison.Ordinal) && long.TryParse(line[(name.Length + 1)..].Trim(), out long value))
            {
                return value;
            }
        }

        return -1;
    }

    /// <summary>
    /// A root CA, an RSA-3072 intermediate and two RSA-3072 leaves with 40 padded DNS names each: every IKE_AUTH carries a
    /// leaf and the intermediate, several kilobytes. Made once per test run.
    /// </summary>
    private sealed record FragmentationPki(IssuedCertificate Root, IssuedCertificate Intermediate, IssuedCertificate Headquarters, IssuedCertificate Branch)
    {
        public const string HeadquartersId = "hq.frag.lab";
        public const string BranchId = "branch.frag.lab";

        public static FragmentationPki Create()
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            var root = CertificateTables.Authority("CN=Fragmentation Root CA, O=Lab", now);
            var intermediate = CertificateTables.Intermediate(root, "CN=Fragmentation Intermediate CA, O=Lab", CertificateKeyAlgorithm.Rsa3072, now);
            return new FragmentationPki(root, intermediate, Leaf(intermediate, HeadquartersId), Leaf(intermediate, BranchId));

            IssuedCertificate Leaf(IssuedCertificate issuer, string name) =>
                CertificateTables.Leaf(issuer, $"CN={name}, O=Lab", CertificateTables.PaddedNames(name, 40), CertificateKeyAlgorithm.Rsa3072, now);
        }
    }
}
