using SharpSwan.Esp.Core;
using SharpSwan.Testing;

namespace SharpSwan.Esp.Tests.Core;

/// <summary>The ESP path through the core allocates nothing per packet (the gateway runs it for every packet).</summary>
public sealed class NoAllocationTests
{
    [Fact]
    public void Outbound_seal_and_inbound_do_not_allocate()
    {
        using var rig = new CoreRig();
        rig.InstallPair(0x100);
        var inner = CoreRig.LocalToPeer();
        var esp = new byte[256];

        void RoundTrip()
        {
            if (rig.Local.Outbound(rig.LocalPath, inner, queueable: true, out var sa) != OutboundDecision.Send
                || !PacketCore.Seal(sa!, inner, esp, out var written)
                || rig.Peer.Inbound(esp.AsSpan(0, written), CoreRig.Arrival, out _, out _, out _) != InboundResult.Delivered)
            {
                throw new InvalidOperationException("round trip failed");
            }
        }

        var (allocated, roundTrips) = SteadyAllocation.Measure(RoundTrip, warmUp: 100, batchSize: 1000);

        Assert.Equal(0, allocated);
        Assert.Equal(roundTrips, rig.PeerPath.Traffic.Delivered);
    }
}
