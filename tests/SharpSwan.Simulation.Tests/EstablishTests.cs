using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests;

public sealed class EstablishTests
{
    public static TheoryData<string, string, string, EncryptionAlgorithm, DiffieHellmanGroup> Suites => new()
    {
        { "aes256gcm-prfsha384", "20", "aes256gcm", EncryptionAlgorithm.AesGcm16, DiffieHellmanGroup.Ecp384 },
        { "aes128-sha256", "14", "aes128-sha256", EncryptionAlgorithm.AesCbc, DiffieHellmanGroup.Modp2048 },
        { "chacha20poly1305-prfsha256", "31", "chacha20poly1305", EncryptionAlgorithm.ChaCha20Poly1305, DiffieHellmanGroup.Curve25519 },
    };

    [Theory]
    [MemberData(nameof(Suites))]
    public void Auto_negotiating_initiator_and_responder_agree_on_one_IKE_SA_and_one_child_SA_and_carry_traffic_both_ways(
        string ike, string dh, string esp, EncryptionAlgorithm cipher, DiffieHellmanGroup group) =>
        Scenario.Run(seed: 1001, simulation =>
        {
            var (a, b) = simulation.AddPair(
                TunnelConfig.SiteA.WithSuite(ike, dh, esp) with { AutoNegotiate = true },
                TunnelConfig.SiteB.WithSuite(ike, dh, esp));
            simulation.Start();
            simulation.RunUntilEstablished(a, b);

            var ikeA = Assert.Single(a.IkeSas);
            var ikeB = Assert.Single(b.IkeSas);
            Assert.Equal(IkeSaState.Established, ikeA.State);
            Assert.Equal(IkeSaState.Established, ikeB.State);
            Assert.True(ikeA.IsOriginalInitiator);
            Assert.False(ikeB.IsOriginalInitiator);
            Assert.Equal((ikeA.InitiatorSpi, ikeA.ResponderSpi), (ikeB.InitiatorSpi, ikeB.ResponderSpi));
            Assert.Equal(cipher, ikeA.Suite!.Encryption);
            Assert.Equal(group, ikeA.Suite.Group);
            Assert.Equal(ikeA.Suite, ikeB.Suite);

            var childA = Assert.Single(a.InstalledSas);
            var childB = Assert.Single(b.InstalledSas);
            Assert.Equal(childA.InboundSpi, childB.OutboundSpi);
            Assert.Equal(childA.OutboundSpi, childB.InboundSpi);
            Assert.True(childA.IsActiveOutbound && childB.IsActiveOutbound);
            Assert.Equal(cipher, childA.Suite.Encryption);
            Assert.Equal(childA.Suite, childB.Suite);
            Assert.Equal(childA.LocalSelector, childB.RemoteSelector);
            Assert.Equal(childA.RemoteSelector, childB.LocalSelector);

            // The engine's bookkeeping and the data plane agree.
            var engineChildA = Assert.Single(a.ChildSas);
            Assert.Equal((childA.InboundSpi, childA.OutboundSpi), (engineChildA.InboundSpi, engineChildA.OutboundSpi));

            for (var i = 0; i < 5; i++)
            {
                Assert.True(a.SendTraffic(Scenario.PacketAToB(i)));
                Assert.True(b.SendTraffic(Scenario.PacketBToA(i)));
            }

            simulation.RunFor(TimeSpan.FromSeconds(1));
            var aToB = b.Traffic(TunnelConfig.Phase1, TunnelConfig.Phase2);
            var bToA = a.Traffic(TunnelConfig.Phase1, TunnelConfig.Phase2);
            Assert.Equal(5, aToB.Delivered);
            Assert.Equal(5, bToA.Delivered);
            Assert.Equal(0, aToB.Errors + bToA.Errors);
            Assert.Equal(5, a.InstalledSas[0].PacketsOut);
            Assert.Equal(5, b.InstalledSas[0].PacketsIn);
        });

    [Fact]
    public void Roles_reversed_B_initiates_and_A_responds()
    {
        Scenario.Run(seed: 1002, simulation =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA, TunnelConfig.SiteB);
            simulation.Start();
            Assert.True(b.Initiate(TunnelConfig.Phase1, TunnelConfig.Phase2));
            simulation.RunUntilEstablished(a, b);

            Assert.True(Assert.Single(b.IkeSas).IsOriginalInitiator);
            Assert.False(Assert.Single(a.IkeSas).IsOriginalInitiator);
            Assert.Equal(a.IkeSas[0].InitiatorSpi, b.IkeSas[0].InitiatorSpi);
            Assert.Equal(a.IkeSas[0].ResponderSpi, b.IkeSas[0].ResponderSpi);
            var childA = Assert.Single(a.InstalledSas);
            var childB = Assert.Single(b.InstalledSas);
            Assert.Equal(childB.InboundSpi, childA.OutboundSpi);
            Assert.Equal(childB.OutboundSpi, childA.InboundSpi);

            Assert.True(b.SendTraffic(Scenario.PacketBToA(1)));
            Assert.True(a.SendTraffic(Scenario.PacketAToB(1)));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(1, a.Traffic(TunnelConfig.Phase1, TunnelConfig.Phase2).Delivered);
            Assert.Equal(1, b.Traffic(TunnelConfig.Phase1, TunnelConfig.Phase2).Delivered);
        });
    }

    [Fact]
    public void Traffic_without_an_SA_is_dropped_and_starts_negotiation_on_demand()
    {
        Scenario.Run(seed: 1003, simulation =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA, TunnelConfig.SiteB);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromSeconds(10));
            Assert.Empty(a.IkeSas);

            Assert.False(a.SendTraffic(Scenario.PacketAToB(0)));
            Assert.Equal(1, a.Traffic(TunnelConfig.Phase1, TunnelConfig.Phase2).DroppedWithoutSa);
            simulation.RunUntilEstablished(a, b);
            Assert.True(a.SendTraffic(Scenario.PacketAToB(1)));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(1, b.Traffic(TunnelConfig.Phase1, TunnelConfig.Phase2).Delivered);
        });
    }
    [Fact]
    public void With_nattraversal_forced_IKE_moves_to_UDP_4500_with_the_non_ESP_marker_and_ESP_is_UDP_encapsulated()
    {
        Scenario.Run(seed: 1004, simulation =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { NatTraversal = "forced" }, TunnelConfig.SiteB);
            var sent = new List<SimulatedDatagram>();
            simulation.Network.DatagramSent += sent.Add;
            simulation.Start();
            Assert.True(a.Initiate(TunnelConfig.Phase1, TunnelConfig.Phase2));
            simulation.RunUntilEstablished(a, b);
            Assert.True(a.SendTraffic(Scenario.PacketAToB(1)));
            Assert.True(b.SendTraffic(Scenario.PacketBToA(1)));
            simulation.RunFor(TimeSpan.FromSeconds(1));

            Assert.Equal(1, a.Traffic(TunnelConfig.Phase1, TunnelConfig.Phase2).Delivered);
            Assert.Equal(1, b.Traffic(TunnelConfig.Phase1, TunnelConfig.Phase2).Delivered);
            Assert.Equal(500, sent[0].Destination.Port);
            var ikeOn4500 = sent.Where(d => d.Destination.Port == 4500 && d.Payload.AsSpan(0, 4).SequenceEqual(new byte[4])).ToList();
            Assert.NotEmpty(ikeOn4500);
            Assert.Equal(2, sent.Count(d => d.Destination.Port == 4500 && !d.Payload.AsSpan(0, 4).SequenceEqual(new byte[4])));
            Assert.DoesNotContain(sent, d => d.IsRawEsp);
        });
    }
}
