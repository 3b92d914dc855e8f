using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Tests.Support;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>Issue 11, item 4: the data plane's word that an outbound SA nears 2^32 - 1 is a soft expiry that rekeys it.</summary>
public sealed class SequenceLimitTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    [Fact]
    public void A_child_near_the_end_of_its_sequence_numbers_is_rekeyed_once()
    {
        using var link = new EngineLink();
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(Settle);
        var child = Assert.Single(link.A.Engine.Tunnels.Single().Current!.Children);

        Assert.True(link.A.Engine.OutboundSequenceNearLimit(EngineLink.PhaseA, child.InboundSpi, exhausted: false));
        Assert.False(link.A.Engine.OutboundSequenceNearLimit(EngineLink.PhaseA, child.InboundSpi, exhausted: true));
        Assert.False(link.A.Engine.OutboundSequenceNearLimit(EngineLink.PhaseA, 0x1234, exhausted: false));
        link.Run(Settle);

        var soft = Assert.Single(link.A.Of<ChildSaSoftExpiry>());
        Assert.True(soft.BySequence && soft.Rekeying && !soft.ByBytes);
        Assert.Equal(child.InboundSpi, soft.InboundSpi);
        Assert.Single(link.A.Of<ChildSaInstalled>(), c => c.RekeyOf == child.InboundSpi);
        Assert.Contains(link.A.Of<ChildSaDeleted>(), d => d.InboundSpi == child.InboundSpi);
    }
}
