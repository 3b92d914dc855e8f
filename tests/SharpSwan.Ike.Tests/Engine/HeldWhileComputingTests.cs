using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Tests.Support;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>
/// IKEv2 datagrams that come for an SA while it waits for public-key work held by its host: they are held and taken
/// right after the work is back, in arrival order and through every check a fresh datagram gets, so neither the peer's
/// requests nor the answers to ours wait for a retransmission. The test plays A's host.
/// </summary>
public sealed class HeldWhileComputingTests
{
    [Fact]
    public void The_peers_liveness_check_during_our_child_rekey_key_pair_is_answered_as_soon_as_the_pair_is_back()
    {
        using var link = LinkWithDpdOnB();
        var (pair, probes, answers) = RekeyWithPeerProbeHeld(link);

        link.A.Complete(pair);
        Assert.Equal(1, answers());

        // Shorter than B's next on-idle probe: only a retransmission could come.
        link.Run(TimeSpan.FromSeconds(3));
        Assert.Equal(1, probes());
        Assert.Empty(link.B.Of<RequestRetransmitted>());
        Assert.Empty(link.B.Of<DpdFailed>());
        Assert.Equal(2, link.A.Of<ChildSaInstalled>().Count);
        Assert.Equal(2, link.B.Of<ChildSaInstalled>().Count);
        Assert.Empty(link.A.Of<HeldMessageDropped>());
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }

    [Fact]
    public void The_answer_to_our_DPD_probe_arriving_while_the_SA_computes_ends_the_probe_without_a_retransmission()
    {
        using var link = new EngineLink(phase1ExtraA: "set dpd on-idle\n set dpd-retryinterval 5\n set dpd-retrycount 3");
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromSeconds(1));
        Assert.Single(link.A.Of<IkeSaEstablished>());

        // B's answer to A's probe is kept back by the test, to reach A only once A computes.
        var kept = new List<byte[]>();
        link.Intercept = (to, bytes) =>
        {
            var answer = to == link.A && IkeMessages.Of(ExchangeType.Informational, response: true)(bytes);
            if (answer)
            {
                kept.Add(bytes);
            }

            return answer;
        };
        var held = link.A.HoldComputations(c => c is ResponderChildComputation);
        link.Run(TimeSpan.FromSeconds(5));
        Assert.Single(link.A.Of<LivenessProbeSent>());
        var answer = Assert.Single(kept);

        Assert.True(link.B.Engine.RekeyChild(EngineLink.PhaseB, EngineLink.Phase2B));
        link.Run(TimeSpan.FromMilliseconds(10));
        var computation = Assert.IsType<ResponderChildComputation>(Assert.Single(held));
        link.Intercept = null;
        link.A.Receive(EngineLink.AddressB, answer);

        link.A.Complete(computation);
        link.Run(TimeSpan.FromSeconds(30));

        Assert.Empty(link.A.Of<RequestRetransmitted>());
        Assert.Empty(link.A.Of<DpdFailed>());
        Assert.NotNull(link.A.Engine.FindTunnel(EngineLink.PhaseA)!.Current);
        Assert.Equal(2, link.A.Of<ChildSaInstalled>().Count);
        Assert.Equal(2, link.B.Of<ChildSaInstalled>().Count);
    }

    [Fact]
    public void Beyond_the_hold_cap_datagrams_are_dropped_and_those_held_are_taken_the_repeats_from_the_cache()
    {
        using var link = LinkWithDpdOnB();
        var probeBytes = link.CaptureTo(link.A, IkeMessages.Of(ExchangeType.Informational, response: false));
        var (pair, _, answers) = RekeyWithPeerProbeHeld(link);
        var probe = Assert.Single(probeBytes);

        // Nine repeats come on top of the one held: seven fit the cap, two do not.
        for (var i = 0; i < HeldDatagrams.MaxCount + 1; i++)
        {
            link.A.Receive(EngineLink.AddressB, probe);
        }

        var dropped = link.A.Of<HeldMessageDropped>();
        Assert.Equal(2, dropped.Count);
        Assert.All(dropped, d => Assert.Equal(HeldMessageDropReason.QueueFull, d.Reason));
        Assert.All(dropped, d => Assert.Equal((byte)ExchangeType.Informational, d.Exchange));
        Assert.Equal(0, answers());

        // The first held is taken as the request (one answer made), the seven after it as its repeats.
        var before = link.A.Events.Count;
        link.A.Complete(pair);
        Assert.Equal(HeldDatagrams.MaxCount, answers());
        var repeats = link.A.Events.Skip(before).OfType<ResponseRetransmitted>().ToList();
        Assert.Equal(HeldDatagrams.MaxCount - 1, repeats.Count);
        Assert.All(repeats, r => Assert.False(r.SaInit));
        Assert.Equal(2, link.A.Engine.Statistics.HeldMessagesDropped);
        Assert.Null(link.A.Engine.FindTunnel(EngineLink.PhaseA)!.Current!.Held);
        link.Run(TimeSpan.FromSeconds(5));
        Assert.Equal(2, link.A.Of<ChildSaInstalled>().Count);
    }

    [Fact]
    public void A_datagram_that_would_pass_the_octet_cap_is_dropped_keeping_no_queue_and_what_is_held_later_is_still_taken()
    {
        using var link = LinkWithDpdOnB();
        var sa = link.A.Engine.FindTunnel(EngineLink.PhaseA)!.Current!;

        // Before B's probe comes, a datagram with the SA's SPIs larger than all a waiting SA may hold: never read or kept.
        var oversized = new byte[HeldDatagrams.MaxOctets + 1];
        new IkeHeader(sa.InitiatorSpi, sa.ResponderSpi, PayloadType.Encrypted, ExchangeType.Informational, IkeFlags.None, 7, (uint)oversized.Length).Write(oversized);
        var (pair, _, answers) = RekeyWithPeerProbeHeld(link, before: () =>
        {
            link.A.Receive(EngineLink.AddressB, oversized);
            Assert.Equal(HeldMessageDropReason.QueueFull, Assert.Single(link.A.Of<HeldMessageDropped>()).Reason);
            Assert.Null(sa.Held);
        });
        Assert.Equal(1, sa.Held?.Count);

        link.A.Complete(pair);
        Assert.Equal(1, answers());
        Assert.Empty(link.A.Of<MalformedMessageDropped>());
        Assert.Null(sa.Held);
    }

    [Fact]
    public void Held_datagrams_are_taken_in_the_order_they_came()
    {
        using var link = LinkWithDpdOnB();
        var probeBytes = link.CaptureTo(link.A, IkeMessages.Of(ExchangeType.Informational, response: false));
        for (var waited = 0; waited < 10 && link.B.Of<LivenessProbeSent>().Count == 0; waited++)
        {
            link.Run(TimeSpan.FromSeconds(1));
        }

        var first = Assert.Single(probeBytes);
        var responses = link.CaptureTo(link.B, IkeMessages.Of(ExchangeType.Informational, response: true));
        var (pair, _, _) = RekeyWithPeerProbeHeld(link);
        var second = probeBytes[^1];

        // Behind B's second probe, repeats of its first, answered already: once the second is answered, the first is no
        // longer the request A's cache answers, so taken in order they get nothing (taken first, each its cached answer).
        for (var i = 0; i < 3; i++)
        {
            link.A.Receive(EngineLink.AddressB, first);
        }

        responses.Clear();
        link.A.Complete(pair);

        Assert.True(IkeHeader.TryRead(second, out var secondHeader));
        Assert.True(IkeHeader.TryRead(Assert.Single(responses), out var answered));
        Assert.Equal(secondHeader.MessageId, answered.MessageId);
        Assert.Empty(link.A.Of<ResponseRetransmitted>());
        Assert.Empty(link.A.Of<HeldMessageDropped>());
    }

    [Fact]
    public void Datagrams_held_by_an_SA_that_goes_while_it_computes_are_dropped_and_nothing_answers_them()
    {
        using var link = LinkWithDpdOnB();
        var (pair, _, answers) = RekeyWithPeerProbeHeld(link);
        var toB = link.CountTo(link.B);

        Assert.True(link.A.Engine.Terminate(EngineLink.PhaseA, null));
        var dropped = Assert.Single(link.A.Of<HeldMessageDropped>());
        Assert.Equal(HeldMessageDropReason.SaGone, dropped.Reason);
        Assert.Equal((byte)ExchangeType.Informational, dropped.Exchange);
        var sentOnDelete = toB();

        link.A.Complete(pair);
        Assert.Equal(sentOnDelete, toB());
        Assert.Equal(0, answers());
        Assert.Null(pair.KeyPair);
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }

    [Fact]
    public void A_held_request_that_starts_a_computation_leaves_its_held_repeat_to_be_answered_from_the_cache_after_it()
    {
        using var link = EngineLink.Established();
        var held = link.A.HoldComputations(c => c is InitiatorIkeRekeyKeyPairComputation or ResponderChildComputation);
        var requests = link.CaptureTo(link.A, IkeMessages.Of(ExchangeType.CreateChildSa, response: false));
        var answers = link.CountTo(link.B, IkeMessages.Of(ExchangeType.CreateChildSa, response: true));
        Assert.True(link.A.Engine.RekeyIke(EngineLink.PhaseA));
        link.Run(TimeSpan.FromMilliseconds(10));
        var pair = Assert.IsType<InitiatorIkeRekeyKeyPairComputation>(Assert.Single(held));

        // B rekeys the child meanwhile: its request, and a repeat of it, wait behind A's key pair.
        Assert.True(link.B.Engine.RekeyChild(EngineLink.PhaseB, EngineLink.Phase2B));
        link.Run(TimeSpan.FromMilliseconds(10));
        link.A.Receive(EngineLink.AddressB, Assert.Single(requests));

        // Taken after the pair: B's request starts A's answer's key exchange, and the repeat waits for that one too.
        link.A.Complete(pair);
        Assert.Equal(2, held.Count);
        var answer = Assert.IsType<ResponderChildComputation>(held[1]);
        Assert.Equal(0, answers());
        Assert.Empty(link.A.Of<ResponseRetransmitted>());

        link.A.Complete(answer);
        Assert.Equal(2, answers());
        Assert.Single(link.A.Of<ResponseRetransmitted>());
        Assert.Equal(2, held.Count);
        Assert.Empty(link.A.Of<HeldMessageDropped>());
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }

    /// <summary>An established link where B probes A after 5 s of silence (on-idle DPD).</summary>
    private static EngineLink LinkWithDpdOnB()
    {
        var link = new EngineLink(phase1ExtraB: "set dpd on-idle\n set dpd-retryinterval 5\n set dpd-retrycount 3");
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromSeconds(1));
        Assert.Single(link.A.Of<IkeSaEstablished>());
        return link;
    }

    /// <summary>
    /// A rekeys its child with the key pair held by the test, and B's liveness check reaches A meanwhile (held there, not
    /// yet answered). Returns the pair and counters of B's probes and of A's answers to them.
    /// </summary>
    /// <param name="before">Done once the pair is held, before B's probe comes.</param>
    private static (KeyExchangeComputation Pair, Func<int> Probes, Func<int> Answers) RekeyWithPeerProbeHeld(EngineLink link, Action? before = null)
    {
        var held = link.A.HoldComputations(c => c is InitiatorChildKeyPairComputation);
        var probes = link.CountTo(link.A, IkeMessages.Of(ExchangeType.Informational, response: false));
        var answers = link.CountTo(link.B, IkeMessages.Of(ExchangeType.Informational, response: true));
        Assert.True(link.A.Engine.RekeyChild(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        var pair = Assert.IsType<InitiatorChildKeyPairComputation>(Assert.Single(held));
        before?.Invoke();

        for (var second = 0; second < 10 && probes() == 0; second++)
        {
            link.Run(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(1, probes());
        Assert.Equal(0, answers());
        return (pair, probes, answers);
    }
}
