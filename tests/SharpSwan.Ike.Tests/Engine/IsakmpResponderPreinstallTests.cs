using SharpSwan.Ike.Events;
using SharpSwan.Ike.Tests.Support;
using SharpSwan.Ike.V1.Wire;
using SharpSwan.Testing;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>
/// IKEv1 quick mode as responder (B answers A's rekey). The initiator sends on the new SA as soon as it has message 2,
/// maybe before its message 3 reaches us (against strongSwan, a ping reply on the new SA came a millisecond before
/// message 3 and was lost). So B puts the SA in the data plane for inbound traffic when it sends message 2, holds its
/// outbound back, and sends on it (and announces it) only once message 3 commits it; without message 3 it goes again.
/// </summary>
public sealed class IsakmpResponderPreinstallTests
{
    [Fact]
    public void Message_2_puts_the_SA_in_for_inbound_only_and_message_3_moves_outbound_to_it()
    {
        using var link = EngineLink.EstablishedIkev1();
        var third = HoldThirdMessage(link);
        var installsBefore = link.B.Installed.Count;

        Assert.True(link.A.Engine.RekeyChild(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));

        // A has the new SA (it sends on it); B decrypts it already but neither sends on it nor calls it installed.
        var rekeyed = link.A.Of<ChildSaInstalled>()[^1];
        var held = Assert.Single(link.B.Installed.Skip(installsBefore));
        Assert.True(held.HoldOutbound);
        Assert.Equal(rekeyed.OutboundSpi, held.InboundSpi);
        Assert.Equal(rekeyed.InboundSpi, held.OutboundSpi);
        Assert.DoesNotContain(held.OutboundSpi, link.B.Activated);
        Assert.Single(link.B.Of<ChildSaInstalled>());
        var message3 = Assert.Single(third);

        link.B.Receive(EngineLink.AddressA, message3);
        link.Run(TimeSpan.FromSeconds(1));

        // Committed: outbound moves to it, it is announced once, and it is not put in a second time.
        Assert.Equal(held.OutboundSpi, link.B.Activated[^1]);
        var installed = link.B.Of<ChildSaInstalled>()[^1];
        Assert.Equal(2, link.B.Of<ChildSaInstalled>().Count);
        Assert.Equal((held.InboundSpi, held.OutboundSpi), (installed.InboundSpi, installed.OutboundSpi));
        Assert.Single(link.B.Installed.Skip(installsBefore));
        Assert.DoesNotContain(held.InboundSpi, link.B.Removed);
    }

    [Fact]
    public void Without_message_3_the_held_SA_is_taken_out_again_when_quick_mode_gives_up()
    {
        using var link = EngineLink.EstablishedIkev1();
        var third = HoldThirdMessage(link, every: true);
        var installsBefore = link.B.Installed.Count;

        Assert.True(link.A.Engine.RekeyChild(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        var held = Assert.Single(link.B.Installed.Skip(installsBefore));
        Assert.DoesNotContain(held.InboundSpi, link.B.Removed);

        // B resends message 2 (A answers each with message 3 again, all lost) until its retransmit limit (5 resends, the
        // last waited out about 2 minutes in).
        link.Run(TimeSpan.FromMinutes(3));
        Assert.True(third.Count > 1);
        Assert.NotEmpty(link.B.Of<ExchangeTimedOut>());
        Assert.Contains(held.InboundSpi, link.B.Removed);
        Assert.DoesNotContain(held.OutboundSpi, link.B.Activated);
        Assert.Single(link.B.Of<ChildSaInstalled>());
    }

    [Fact]
    public void A_held_SA_goes_with_its_ISAKMP_SA()
    {
        using var link = EngineLink.EstablishedIkev1();
        HoldThirdMessage(link);
        var installsBefore = link.B.Installed.Count;
        Assert.True(link.A.Engine.RekeyChild(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        var held = Assert.Single(link.B.Installed.Skip(installsBefore));

        Assert.True(link.B.Engine.Terminate(EngineLink.PhaseB, null));

        Assert.Contains(held.InboundSpi, link.B.Removed);
        Assert.DoesNotContain(held.OutboundSpi, link.B.Activated);
    }

    /// <summary>
    /// Takes A's quick-mode message 3 to B off the link (the second quick-mode message A sends once this is called); with
    /// <paramref name="every"/>, its repeats too.
    /// </summary>
    private static List<byte[]> HoldThirdMessage(EngineLink link, bool every = false)
    {
        var taken = new List<byte[]>();
        var quickModes = 0;
        link.Intercept = (node, bytes) =>
        {
            if (node != link.B || !IsakmpHeader.TryRead(bytes, out var header) || header.Exchange != IsakmpExchangeType.QuickMode)
            {
                return false;
            }

            quickModes++;
            if (quickModes == 2 || (every && quickModes > 2))
            {
                taken.Add(bytes);
                return true;
            }

            return false;
        };
        return taken;
    }
}
