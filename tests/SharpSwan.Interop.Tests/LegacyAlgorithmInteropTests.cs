using SharpSwan.Interop.Tests.Harness;

namespace SharpSwan.Interop.Tests;

/// <summary>
/// Issue 16 item 3: a FortiGate configuration that still lists a legacy suite next to current ones negotiates it
/// with a peer that offers nothing better (strongSwan's openssl plugin with 3des-sha1-modp1024).
/// </summary>
public sealed class LegacyAlgorithmInteropTests
{
    [Fact]
    public void MixedProposalList_Negotiates3desSha1Modp1024_WithAPeerThatOffersOnlyThat()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(MixedProposalList_Negotiates3desSha1Modp1024_WithAPeerThatOffersOnlyThat));
        StrongSwanPeer branch = scenario.StartStrongSwan(
            scenario.B,
            scenario.BranchConnection() with { Proposals = "3des-sha1-modp1024", EspProposals = "3des-sha1-modp1024" },
            "B");
        SharpSwanConfig config = scenario.HeadquartersConfig() with
        {
            Phase1Proposal = "aes256-sha256 3des-sha1",
            Phase1DhGroup = 2,
            Phase2Proposal = "aes128gcm 3des-sha1",
            Phase2DhGroup = 2,
        };
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, config, "A");

        gateway.Cli("diagnose vpn tunnel up to-branch-p2 to-branch");
        scenario.WaitForChildSa(branch, gateway, TimeSpan.FromSeconds(30), "strongSwan lists an INSTALLED CHILD_SA");

        string sas = branch.ListSas();
        scenario.Require(sas.Contains("3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024", StringComparison.Ordinal), $"strongSwan's IKE SA is 3DES/SHA1/MODP-1024; got:\n{sas}");
        scenario.Require(sas.Contains("ESP:3DES_CBC/HMAC_SHA1_96", StringComparison.Ordinal), $"strongSwan's CHILD_SA is ESP 3DES/SHA1; got:\n{sas}");

        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA);

        // A new child with PFS (CREATE_CHILD_SA with a MODP-1024 KE) works too: strongSwan rekeys it.
        ProcessResult rekey = branch.Rekey();
        scenario.Require(rekey.Succeeded, $"swanctl --rekey succeeds; got {rekey.Describe()}");
        scenario.WaitFor(
            () => branch.ListSas().Contains("ESP:3DES_CBC/HMAC_SHA1_96/MODP_1024", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20),
            "strongSwan lists the rekeyed CHILD_SA with PFS MODP_1024");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
    }
}
