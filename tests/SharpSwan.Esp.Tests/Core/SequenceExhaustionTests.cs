using SharpSwan.Esp.Core;

namespace SharpSwan.Esp.Tests.Core;

/// <summary>
/// Issue 11, item 4: an outbound SA (32-bit sequence numbers, no ESN) asks for its replacement at the soft point, long before
/// 2^32 - 1; at the end it drops and counts what it cannot number rather than wrap and repeat a number.
/// </summary>
public sealed class SequenceExhaustionTests
{
    [Fact]
    public void Passing_the_soft_point_reports_once_and_keeps_sending()
    {
        using var rig = new CoreRig();
        var (local, _) = rig.InstallPair(0x100);
        local.Outbound.SetLastSentSequenceNumber(EspSecurityAssociation.SequenceSoftLimit - 2);
        var buffer = new byte[200];

        Assert.True(PacketCore.Seal(local, CoreRig.LocalToPeer(1), buffer, out _));
        Assert.Empty(rig.LocalEvents.Of<SequenceLimitReached>());

        for (byte i = 2; i < 6; i++)
        {
            Assert.True(PacketCore.Seal(local, CoreRig.LocalToPeer(i), buffer, out _));
        }

        var reached = Assert.Single(rig.LocalEvents.Of<SequenceLimitReached>());
        Assert.Equal((CoreRig.Phase1, CoreRig.Phase2, 0x100u), (reached.Phase1, reached.Phase2, reached.InboundSpi));
        Assert.Equal(EspSecurityAssociation.SequenceSoftLimit, reached.Sequence);
        Assert.False(reached.Exhausted);
        Assert.Equal(5, rig.LocalPath.Traffic.Sent);
        Assert.Equal(0, rig.LocalPath.Traffic.Errors);
    }

    [Fact]
    public void At_the_last_number_packets_are_dropped_counted_and_reported_once_and_the_number_never_wraps()
    {
        using var rig = new CoreRig();
        var (local, _) = rig.InstallPair(0x100);
        local.Outbound.SetLastSentSequenceNumber(uint.MaxValue - 1);
        var buffer = new byte[200];

        Assert.True(PacketCore.Seal(local, CoreRig.LocalToPeer(1), buffer, out var written));
        Assert.NotEqual(0, written);

        for (byte i = 2; i < 5; i++)
        {
            Assert.False(PacketCore.Seal(local, CoreRig.LocalToPeer(i), buffer, out written));
            Assert.Equal(0, written);
        }

        Assert.Equal((ulong)uint.MaxValue, local.Outbound.LastSequenceNumber);
        Assert.Equal(3, rig.LocalPath.Traffic.SequenceExhausted);
        Assert.Equal(3, rig.LocalPath.Traffic.Errors);
        Assert.Equal(3, local.Outbound.SequenceExhaustedDrops);
        Assert.Equal(1, rig.LocalPath.Traffic.Sent);
        Assert.Contains("seq-exhausted=3", rig.LocalPath.Traffic.ToString(), StringComparison.Ordinal);
        var reports = rig.LocalEvents.Of<SequenceLimitReached>().ToList();
        Assert.Equal(2, reports.Count);
        Assert.False(reports[0].Exhausted);
        Assert.True(reports[1].Exhausted);
    }
}
