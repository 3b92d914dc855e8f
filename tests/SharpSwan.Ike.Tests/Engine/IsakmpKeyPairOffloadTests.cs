using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Tests.Support;
using SharpSwan.Ike.V1.Exchanges;
using SharpSwan.Ike.V1.Wire;
using SharpSwan.Testing;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>
/// IKEv1's own Diffie-Hellman key pair when it initiates (main mode message 3, aggressive mode message 1, quick mode
/// message 1 with PFS) handed to the host, as IKEv2's is: the private key is drawn on the engine thread, the pair is made
/// elsewhere, and the message leaves only once it is back. The test plays A's host and holds only A's key pairs.
/// </summary>
public sealed class IsakmpKeyPairOffloadTests
{
    [Theory]
    [InlineData("main", typeof(MainModeInitiatorKeyPairComputation))]
    [InlineData("aggressive", typeof(AggressiveModeInitiatorKeyPairComputation))]
    public async Task Phase1_message_with_our_KE_leaves_only_once_the_key_pair_is_back_and_carries_its_public_value(string mode, Type kind)
    {
        using var link = EngineLink.Ikev1(mode);
        var held = link.A.HoldComputations(IsKeyPair);
        var keyExchanges = KeyExchangesTo(link, link.B);
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));

        var pair = Assert.IsAssignableFrom<KeyExchangeComputation>(Assert.Single(held));
        Assert.IsType(kind, pair);
        Assert.Equal(1, link.A.Engine.ComputationsInFlight);
        link.Run(TimeSpan.FromSeconds(5));
        Assert.Empty(keyExchanges);
        Assert.Single(held);

        await Task.Run(pair.Run);
        link.A.Offload = null;
        link.A.Engine.CompleteComputation(pair);
        Assert.Equal(pair.PublicValue, Assert.Single(keyExchanges));
        link.Run(TimeSpan.FromSeconds(5));

        Assert.Single(link.A.Of<IkeSaEstablished>());
        Assert.Single(link.B.Of<IkeSaEstablished>());
        Assert.Single(link.B.Of<ChildSaInstalled>());
        Assert.Empty(link.A.Of<NegotiationFailed>());
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }

    [Theory]
    [InlineData("main")]
    [InlineData("aggressive")]
    public void Phase1_initiator_gone_while_its_key_pair_is_made_sends_nothing_and_the_pair_is_disposed(string mode)
    {
        using var link = EngineLink.Ikev1(mode);
        var (_, keyExchanges, pair) = InitiateWithKeyPairHeld(link);

        Assert.True(link.A.Engine.Terminate(EngineLink.PhaseA, null));
        CompleteLateAndExpectItWiped(link, pair, keyExchanges);
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }

    [Theory]
    [InlineData("main")]
    [InlineData("aggressive")]
    public void Negotiate_timeout_ends_the_wait_for_our_phase1_key_pair_as_for_an_unanswered_message_and_the_late_pair_is_wiped(string mode)
    {
        using var link = EngineLink.Ikev1(mode);
        var (held, keyExchanges, pair) = InitiateWithKeyPairHeld(link);

        // The host never gives it back: negotiate-timeout (30 s) ends the attempt (main mode: message 1 stayed
        // outstanding for its deadline; aggressive mode: nothing was sent yet), with the events of an unanswered message.
        link.Run(TimeSpan.FromSeconds(40));
        Assert.Single(link.A.Of<ExchangeTimedOut>());
        Assert.Single(link.A.Of<NegotiationFailed>());
        Assert.Null(link.A.Engine.FindTunnel(EngineLink.PhaseA)!.Current);
        Assert.Equal(1, link.A.Engine.ComputationsInFlight);

        CompleteLateAndExpectItWiped(link, pair, keyExchanges);
        Assert.Single(held);
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }

    [Fact]
    public async Task Quick_mode_message_1_with_PFS_leaves_only_once_the_key_pair_is_back_and_carries_its_public_value()
    {
        using var link = EngineLink.EstablishedIkev1();
        var (held, quickModes, pair) = RekeyWithKeyPairHeld(link);

        link.Run(TimeSpan.FromSeconds(5));
        Assert.Equal(0, quickModes());
        Assert.Single(held);

        await Task.Run(pair.Run);
        link.A.Offload = null;
        link.A.Engine.CompleteComputation(pair);
        Assert.Equal(1, quickModes());
        var v1 = link.A.Engine.FindTunnel(EngineLink.PhaseA)!.Current!.V1!;
        Assert.Equal(pair.PublicValue, Assert.Single(v1.QuickModes.Values).Dh!.PublicValue);
        link.Run(TimeSpan.FromSeconds(5));

        Assert.Equal(2, link.A.Of<ChildSaInstalled>().Count);
        Assert.Equal(2, link.B.Of<ChildSaInstalled>().Count);
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }

    [Fact]
    public void Quick_mode_whose_ISAKMP_SA_is_gone_while_its_key_pair_is_made_sends_nothing_and_the_pair_is_disposed()
    {
        using var link = EngineLink.EstablishedIkev1();
        var (_, quickModes, pair) = RekeyWithKeyPairHeld(link);

        Assert.True(link.A.Engine.Terminate(EngineLink.PhaseA, null));
        pair.Run();
        Assert.NotNull(pair.KeyPair);
        link.A.Engine.CompleteComputation(pair);
        link.Run(TimeSpan.FromSeconds(5));

        Assert.Null(pair.KeyPair);
        Assert.Equal(0, quickModes());
        Assert.Single(link.A.Of<ChildSaInstalled>());
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }

    [Fact]
    public void The_peers_quick_mode_that_comes_while_our_quick_mode_key_pair_is_made_is_answered_as_soon_as_the_pair_is_back()
    {
        using var link = EngineLink.EstablishedIkev1();
        var (_, quickModes, pair) = RekeyWithKeyPairHeld(link);

        // B starts its own quick mode meanwhile: its message 1 reaches A and waits there.
        Assert.True(link.B.Engine.RekeyChild(EngineLink.PhaseB, EngineLink.Phase2B));
        link.Run(TimeSpan.FromMilliseconds(10));
        Assert.Equal(0, quickModes());

        // Once the pair is back A sends its own message 1 and answers B's with message 2, B resending nothing.
        link.A.Offload = null;
        link.A.Complete(pair);
        Assert.Equal(2, quickModes());
        link.Run(TimeSpan.FromSeconds(5));

        Assert.Empty(link.B.Of<RequestRetransmitted>());
        Assert.Empty(link.A.Of<HeldMessageDropped>());
        Assert.Empty(link.A.Of<NegotiationFailed>());
        Assert.Equal(3, link.B.Of<ChildSaInstalled>().Count);
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }

    [Fact]
    public void The_peers_DELETE_that_comes_while_our_quick_mode_key_pair_is_made_and_nothing_is_held_is_taken_at_once()
    {
        using var link = EngineLink.EstablishedIkev1();
        var (_, _, pair) = RekeyWithKeyPairHeld(link);

        // An Informational is no step of any exchange, and nobody resends it: with nothing ahead of it, A reads it now.
        Assert.True(link.B.Engine.Terminate(EngineLink.PhaseB, EngineLink.Phase2B));
        link.Run(TimeSpan.FromMilliseconds(10));

        Assert.NotEmpty(link.A.Of<ChildSaDeleted>());
        Assert.Null(link.A.Engine.FindTunnel(EngineLink.PhaseA)!.Current!.Held);
        link.A.Complete(pair);
        Assert.Empty(link.A.Of<HeldMessageDropped>());
    }

    [Fact]
    public void The_peers_DELETE_behind_its_held_quick_mode_waits_for_it_and_is_taken_after_it()
    {
        using var link = EngineLink.EstablishedIkev1();
        var (_, _, pair) = RekeyWithKeyPairHeld(link);

        // B deletes its phase 2 and starts a new one; the test keeps both messages back and hands them to A (which
        // computes) with the quick mode first, as the network may.
        var kept = new List<byte[]>();
        link.Intercept = (to, bytes) =>
        {
            if (to == link.A)
            {
                kept.Add(bytes);
            }

            return to == link.A;
        };
        Assert.True(link.B.Engine.Terminate(EngineLink.PhaseB, EngineLink.Phase2B));
        link.Run(TimeSpan.FromMilliseconds(10));
        Assert.True(link.B.Engine.Initiate(EngineLink.PhaseB, EngineLink.Phase2B));
        link.Run(TimeSpan.FromMilliseconds(10));
        link.Intercept = null;
        var (delete, quickMode) = (kept[0], kept[1]);
        Assert.True(IsQuickMode(quickMode));
        var sa = link.A.Engine.FindTunnel(EngineLink.PhaseA)!.Current!;
        link.A.Receive(EngineLink.AddressB, quickMode);
        link.A.Receive(EngineLink.AddressB, delete);

        // The DELETE does not overtake the quick mode that came before it: held behind it, taken after it.
        Assert.Equal(2, sa.Held?.Count);
        Assert.Empty(link.A.Of<ChildSaDeleted>());
        link.A.Offload = null;
        link.A.Complete(pair);
        Assert.Null(sa.Held);
        Assert.NotEmpty(link.A.Of<ChildSaDeleted>());
        Assert.Empty(link.A.Of<HeldMessageDropped>());
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }

    [Fact]
    public void A_quick_mode_key_pair_that_cannot_be_made_leaves_the_child_to_be_rekeyed_again()
    {
        using var link = EngineLink.EstablishedIkev1();
        FailedKeyPair.LeavesTheChildToBeRekeyedAgain<QuickModeInitiatorKeyPairComputation>(link, IsKeyPair);
    }

    /// <summary>A rekeys its child with the quick mode's key pair held by the test; quick-mode messages reaching B are counted.</summary>
    private static (List<EngineComputation> Held, Func<int> QuickModes, QuickModeInitiatorKeyPairComputation Pair) RekeyWithKeyPairHeld(EngineLink link)
    {
        var held = link.A.HoldComputations(IsKeyPair);
        var quickModes = link.CountTo(link.B, IsQuickMode);
        Assert.True(link.A.Engine.RekeyChild(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        return (held, quickModes, Assert.IsType<QuickModeInitiatorKeyPairComputation>(Assert.Single(held)));
    }

    /// <summary>A initiates phase 1 with its key pair held by the test; the KE payloads the network carries to B are watched.</summary>
    private static (List<EngineComputation> Held, List<byte[]> KeyExchanges, KeyExchangeComputation Pair) InitiateWithKeyPairHeld(EngineLink link)
    {
        var held = link.A.HoldComputations(IsKeyPair);
        var keyExchanges = KeyExchangesTo(link, link.B);
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        return (held, keyExchanges, Assert.IsAssignableFrom<KeyExchangeComputation>(Assert.Single(held)));
    }

    /// <summary>The key pair comes back after its SA is gone: it is wiped, no KE leaves, nothing is established.</summary>
    private static void CompleteLateAndExpectItWiped(EngineLink link, KeyExchangeComputation pair, List<byte[]> keyExchanges)
    {
        pair.Run();
        Assert.NotNull(pair.KeyPair);
        link.A.Engine.CompleteComputation(pair);
        link.Run(TimeSpan.FromSeconds(5));

        Assert.Null(pair.KeyPair);
        Assert.Empty(keyExchanges);
        Assert.Empty(link.A.Of<IkeSaEstablished>());
    }

    private static bool IsKeyPair(EngineComputation c) =>
        c is MainModeInitiatorKeyPairComputation or AggressiveModeInitiatorKeyPairComputation or QuickModeInitiatorKeyPairComputation;

    /// <summary>From now on, the KE payloads of the unencrypted ISAKMP messages the network carries to <paramref name="to"/>.</summary>
    private static List<byte[]> KeyExchangesTo(EngineLink link, EngineNetwork.Node to)
    {
        var seen = new List<byte[]>();
        link.Intercept = (node, bytes) =>
        {
            if (node == to && IsakmpCodec.Decode(bytes).Message?.Find<KeyExchangePayload>() is { } ke)
            {
                seen.Add(ke.Data);
            }

            return false;
        };
        return seen;
    }

    private static bool IsQuickMode(byte[] bytes) => IsakmpHeader.TryRead(bytes, out var header) && header.Exchange == IsakmpExchangeType.QuickMode;
}
