using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Tests.Support;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>
/// Issue 14 item 7: an established IKE SA keeps nothing that only its setup needed (the IKE_SA_INIT messages and nonces
/// that AUTH signs, SK_p/SK_e/SK_a copies), and what comes later (a repeated IKE_AUTH, child and IKE rekeys) still works.
/// </summary>
public sealed class SetupMaterialTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    [Fact]
    public void After_IKE_AUTH_neither_end_keeps_the_init_messages_the_nonces_or_the_auth_keys()
    {
        using var link = new EngineLink();
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(Settle);

        var ours = link.A.Engine.Tunnels.Single().Current!;
        var theirs = link.B.Engine.Tunnels.Single().Current!;
        foreach (var sa in new[] { ours, theirs })
        {
            Assert.Equal(IkeSaState.Established, sa.State);
            AssertHoldsNoSetupMaterial(sa);
            Assert.NotNull(sa.Inbound);
            Assert.NotNull(sa.Outbound);
            Assert.Single(sa.Children);
        }
    }

    [Fact]
    public void A_lost_IKE_AUTH_answer_is_sent_again_from_the_window_after_the_setup_data_is_gone()
    {
        using var link = new EngineLink();
        var toA = 0;
        link.Drop = to => to == link.A && ++toA == 2; // the first answer is IKE_SA_INIT's, the second IKE_AUTH's
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromSeconds(30));

        Assert.Contains(link.B.Of<ResponseRetransmitted>(), r => r.MessageId == 1 && !r.SaInit);
        var ours = link.A.Engine.Tunnels.Single().Current!;
        var theirs = link.B.Engine.Tunnels.Single().Current!;
        Assert.Equal(IkeSaState.Established, ours.State);
        Assert.Single(ours.Children);
        AssertHoldsNoSetupMaterial(ours);
        AssertHoldsNoSetupMaterial(theirs);
        Assert.Single(link.A.Of<IkeSaEstablished>());
        Assert.Single(link.B.Of<IkeSaEstablished>());
    }

    [Fact]
    public void Child_and_IKE_rekeys_work_on_SK_d_alone_and_the_successor_keeps_no_setup_data_either()
    {
        using var link = new EngineLink();
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(Settle);
        var first = link.A.Engine.Tunnels.Single().Current!;
        var firstChild = first.Children.Single();

        Assert.True(link.A.Engine.RekeyChild(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(Settle);
        Assert.Single(link.A.Of<ChildSaInstalled>(), c => c.RekeyOf == firstChild.InboundSpi);
        Assert.Single(link.B.Of<ChildSaInstalled>(), c => c.RekeyOf is not null);

        Assert.True(link.A.Engine.RekeyIke(EngineLink.PhaseA));
        link.Run(Settle);
        var successor = link.A.Engine.Tunnels.Single().Current!;
        Assert.NotSame(first, successor);
        Assert.Equal(IkeSaState.Established, successor.State);
        Assert.Single(link.A.Of<IkeSaRekeyed>());
        AssertHoldsNoSetupMaterial(successor);
        AssertHoldsNoSetupMaterial(link.B.Engine.Tunnels.Single().Current!);

        // The successor's SK_d (derived from the old one) keys the next child rekey.
        var secondChild = successor.Children.Single(c => c.State == ChildSaState.Installed);
        Assert.True(link.A.Engine.RekeyChild(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(Settle);
        Assert.Single(link.A.Of<ChildSaInstalled>(), c => c.RekeyOf == secondChild.InboundSpi);
        Assert.Contains(link.B.Of<ChildSaInstalled>(), c => c.RekeyOf == secondChild.OutboundSpi);
    }

    private static void AssertHoldsNoSetupMaterial(IkeSa sa)
    {
        Assert.Empty(sa.InitRequest);
        Assert.Empty(sa.InitResponse);
        Assert.Empty(sa.NonceInitiator);
        Assert.Empty(sa.NonceResponder);
        Assert.Null(sa.Cookie);
        Assert.Null(sa.PendingKeyExchange);
        var keys = sa.Keys!;
        Assert.All(new[] { keys.SkAi, keys.SkAr, keys.SkEi, keys.SkEr, keys.SkPi, keys.SkPr }, Assert.Empty);
        Assert.NotEmpty(keys.SkD);
        Assert.Contains(keys.SkD, b => b != 0);
    }
}
