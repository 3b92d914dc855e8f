namespace SharpSwan.Simulation.Tests.Support;

/// <summary>
/// A packet every interval in both directions between the LANs of A and B, each carrying a sequence number, and a record
/// of which sequence numbers arrived, so a test can tell exactly what was lost.
/// </summary>
internal sealed class TwoWayTraffic : IDisposable
{
    private readonly IDisposable _schedule;
    private readonly HashSet<int> _receivedByB = [];
    private readonly HashSet<int> _receivedByA = [];
    private int _next;

    /// <param name="payloadBytes">Inner payload size (at least 4: the sequence number); large packets reach byte lifetimes sooner.</param>
    /// <param name="bothWays">False: only A sends.</param>
    public TwoWayTraffic(Simulation simulation, SimulatedGateway a, SimulatedGateway b, TimeSpan interval, int payloadBytes = 4, bool bothWays = true)
    {
        a.PacketReceived += (_, _, packet) => Record(packet, _receivedByA);
        b.PacketReceived += (_, _, packet) => Record(packet, _receivedByB);
        _schedule = simulation.Every(interval, () =>
        {
            var sequence = _next++;
            a.SendTraffic(Scenario.PacketAToB(sequence, payloadBytes));
            if (bothWays)
            {
                b.SendTraffic(Scenario.PacketBToA(sequence, payloadBytes));
            }
        });
        BothWays = bothWays;
    }

    public bool BothWays { get; }

    public int PacketsPerDirection => _next;

    public IReadOnlyCollection<int> ReceivedByA => _receivedByA;

    public IReadOnlyCollection<int> ReceivedByB => _receivedByB;

    public void Stop() => _schedule.Dispose();

    public void Dispose() => Stop();

    /// <summary>Every packet sent so far arrived (call after the last ones had time to cross the link).</summary>
    public void AssertNothingLost()
    {
        Assert.True(_next > 0, "no traffic was generated");
        var missingAtB = Enumerable.Range(0, _next).Where(s => !_receivedByB.Contains(s)).ToList();
        Assert.True(missingAtB.Count == 0, $"A->B lost {missingAtB.Count} of {_next} packets: {string.Join(',', missingAtB.Take(20))}");
        if (BothWays)
        {
            var missingAtA = Enumerable.Range(0, _next).Where(s => !_receivedByA.Contains(s)).ToList();
            Assert.True(missingAtA.Count == 0, $"B->A lost {missingAtA.Count} of {_next} packets: {string.Join(',', missingAtA.Take(20))}");
        }
    }

    private static void Record(byte[] packet, HashSet<int> received)
    {
        Assert.True(Ipv4Packet.TryRead(packet, out _, out _, out var payload), "a delivered packet is not the IPv4 packet that was sent");
        received.Add(BitConverter.ToInt32(payload));
    }
}
