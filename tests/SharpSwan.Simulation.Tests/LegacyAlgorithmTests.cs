using SharpSwan.Crypto;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests;

/// <summary>
/// Issue 16 item 3: the legacy suites between two SharpSwan engines and packet cores: IKEv2 3DES/MD5 with MODP-1024 and
/// ESP NULL, and IKEv1 main mode and quick mode PFS with MODP-1024/1536.
/// </summary>
public sealed class LegacyAlgorithmTests
{
    [Fact]
    public void Ikev2_picks_the_legacy_suites_both_sides_share_and_esp_null_carries_traffic() =>
        Scenario.Run(seed: 1601, simulation =>
        {
            var a = TunnelConfig.SiteA with { Proposals = "aes256-sha256 3des-md5", DhGroups = "14 2", Phase2Proposals = "null-sha256", Phase2DhGroups = "5" };
            var b = TunnelConfig.SiteB with { Proposals = "3des-md5", DhGroups = "2", Phase2Proposals = "aes128-sha1 null-sha256", Phase2DhGroups = "5" };
            var (siteA, siteB) = simulation.AddPair(a with { AutoNegotiate = true }, b);
            simulation.Start();
            simulation.RunUntilEstablished(siteA, siteB);

            var ike = Assert.Single(siteA.IkeSas).Suite!;
            Assert.Equal((EncryptionAlgorithm.TripleDes, IntegrityAlgorithm.HmacMd5_96, PseudoRandomFunction.HmacMd5, DiffieHellmanGroup.Modp1024), (ike.Encryption, ike.Integrity, ike.Prf, ike.Group));
            var child = Assert.Single(siteB.InstalledSas).Suite;
            Assert.Equal((EncryptionAlgorithm.Null, IntegrityAlgorithm.HmacSha256_128), (child.Encryption, child.Integrity));
            AssertTrafficBothWays(simulation, siteA, siteB, 4);
        });

    [Fact]
    public void Ikev1_main_mode_and_quick_mode_pfs_work_with_modp1024_and_modp1536() =>
        Scenario.Run(seed: 1602, simulation =>
        {
            var a = TunnelConfig.SiteA.Ikev1() with { DhGroups = "2", Phase2DhGroups = "5", AutoNegotiate = true };
            var b = TunnelConfig.SiteB.Ikev1() with { DhGroups = "2", Phase2DhGroups = "5" };
            var (siteA, siteB) = simulation.AddPair(a, b);
            simulation.Start();
            simulation.RunUntilEstablished(siteA, siteB);

            Assert.Equal(DiffieHellmanGroup.Modp1024, Assert.Single(siteB.IkeSas).Suite!.Group);
            Assert.Equal(DiffieHellmanGroup.Modp1536, Assert.Single(siteA.InstalledSas).Suite.Group);
            AssertTrafficBothWays(simulation, siteA, siteB, 3);
        });

    private static void AssertTrafficBothWays(Simulation simulation, SimulatedGateway a, SimulatedGateway b, int count)
    {
        var beforeAToB = b.Traffic(TunnelConfig.Phase1, TunnelConfig.Phase2).Delivered;
        var beforeBToA = a.Traffic(TunnelConfig.Phase1, TunnelConfig.Phase2).Delivered;
        for (var i = 0; i < count; i++)
        {
            Assert.True(a.SendTraffic(Scenario.PacketAToB(i)));
            Assert.True(b.SendTraffic(Scenario.PacketBToA(i)));
        }

        simulation.RunFor(TimeSpan.FromSeconds(1));
        Assert.Equal(count, b.Traffic(TunnelConfig.Phase1, TunnelConfig.Phase2).Delivered - beforeAToB);
        Assert.Equal(count, a.Traffic(TunnelConfig.Phase1, TunnelConfig.Phase2).Delivered - beforeBToA);
    }
}
