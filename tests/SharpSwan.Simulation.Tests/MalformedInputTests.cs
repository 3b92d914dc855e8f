using SharpSwan.Ike.Events;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests;

public sealed class MalformedInputTests
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    [Theory]
    [InlineData(8001)]
    [InlineData(8002)]
    [InlineData(8003)]
    public void Garbage_truncated_and_bit_flipped_datagrams_never_throw_and_leave_the_established_SAs_and_traffic_alone(int seed) =>
        Scenario.Run(seed, simulation =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA, TunnelConfig.SiteB);
            var captured = new List<SimulatedDatagram>();
            simulation.Network.DatagramSent += captured.Add;
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunUntilEstablished(a, b);

            // Capture every kind of exchange in both directions: SA_INIT, AUTH, CREATE_CHILD (child and IKE rekey), INFORMATIONAL.
            a.RekeyChild(P1, P2);
            simulation.RunFor(TimeSpan.FromSeconds(1));
            b.RekeyIke(P1);
            simulation.RunFor(TimeSpan.FromSeconds(1));
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(50));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            simulation.Network.DatagramSent -= captured.Add;
            Assert.Contains(captured, d => !d.IsRawEsp);
            Assert.Contains(captured, d => d.IsRawEsp);

            var ikeA = a.IkeSas.Single();
            var childA = a.InstalledSas.Single();
            var childB = b.InstalledSas.Single();
            var fuzz = new Random(seed);
            for (var burst = 0; burst < 100; burst++)
            {
                for (var i = 0; i < 10; i++)
                {
                    var original = captured[fuzz.Next(captured.Count)];
                    simulation.Network.Inject(original.Source, original.Destination, Mutate(original.Payload, fuzz));
                }

                simulation.RunFor(TimeSpan.FromMilliseconds(100));
            }

            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(2));

            // Same IKE SA and child SAs as before the barrage, and every real packet still arrived.
            var ikeAfter = Assert.Single(a.IkeSas);
            Assert.Equal((ikeA.InitiatorSpi, ikeA.ResponderSpi), (ikeAfter.InitiatorSpi, ikeAfter.ResponderSpi));
            Assert.Equal((ikeA.InitiatorSpi, ikeA.ResponderSpi), (b.IkeSas.Single().InitiatorSpi, b.IkeSas.Single().ResponderSpi));
            Assert.Equal(childA.InboundSpi, Assert.Single(a.InstalledSas).InboundSpi);
            Assert.Equal(childB.InboundSpi, Assert.Single(b.InstalledSas).InboundSpi);
            traffic.AssertNothingLost();
            Assert.Equal(0, a.Traffic(P1, P2).DroppedWithoutSa + b.Traffic(P1, P2).DroppedWithoutSa);

            // The engines saw the junk and said so.
            Assert.True(Dropped(a) && Dropped(b));
            Assert.True(a.Traffic(P1, P2).Errors + b.Traffic(P1, P2).Errors + a.UnknownSpiPackets + b.UnknownSpiPackets > 0);
        });

    /// <summary>The engine dropped junk it could not parse or that was not protected by the SA's keys.</summary>
    private static bool Dropped(SimulatedGateway gateway) =>
        gateway.Events<MalformedMessageDropped>().Any() || gateway.Events<UnprotectedMessageDropped>().Any();

    private static byte[] Mutate(byte[] original, Random fuzz)
    {
        switch (fuzz.Next(5))
        {
            case 0:
                // Pure garbage of any length.
                var garbage = new byte[fuzz.Next(0, 600)];
                fuzz.NextBytes(garbage);
                return garbage;
            case 1:
                return original[..fuzz.Next(0, original.Length)];
            case 2:
                var flipped = (byte[])original.Clone();
                for (var flips = fuzz.Next(1, 4); flips > 0 && flipped.Length > 0; flips--)
                {
                    var bit = fuzz.Next(flipped.Length * 8);
                    flipped[bit / 8] ^= (byte)(1 << (bit % 8));
                }

                return flipped;
            case 3:
                // A plausible IKE header followed by random bytes.
                var body = (byte[])original.Clone();
                fuzz.NextBytes(body.AsSpan(Math.Min(28, body.Length)));
                return body;
            default:
                // The same message again, with random bytes appended or a length field that lies.
                var longer = new byte[original.Length + fuzz.Next(1, 64)];
                original.CopyTo(longer, 0);
                fuzz.NextBytes(longer.AsSpan(original.Length));
                return longer;
        }
    }
}
