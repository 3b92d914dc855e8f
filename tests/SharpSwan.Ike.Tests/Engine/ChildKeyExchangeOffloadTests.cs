using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Tests.Support;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>
/// Issue 14 item 7, CREATE_CHILD_SA with PFS (on by default): the child's key exchange handed to the host, as the initiator
/// (A rekeys its child) and as the responder (B answers A's rekey), and taken back on the engine thread. The test plays the
/// host of one end: it holds the work and runs and completes it when it chooses; the IKE SA is set up before it does.
/// </summary>
public sealed class ChildKeyExchangeOffloadTests
{
    [Fact]
    public async Task The_initiator_installs_its_rekeyed_child_once_the_key_exchange_is_completed_and_sends_nothing_meanwhile()
    {
        using var link = EngineLink.Established();
        var held = link.A.HoldComputations(Held.AllButKeyPairs);
        var toB = link.CountTo(link.B);

        Assert.True(link.A.Engine.RekeyChild(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        var computation = Assert.IsAssignableFrom<KeyExchangeComputation>(Assert.Single(held));
        Assert.Equal(1, link.A.Engine.ComputationsInFlight);
        Assert.Single(link.A.Of<ChildSaInstalled>());
        var sentBeforeWait = toB();

        // A request of A's own waits for the key exchange: nothing reaches B meanwhile, however long it takes.
        Assert.True(link.A.Engine.RekeyIke(EngineLink.PhaseA));
        link.Run(TimeSpan.FromSeconds(10));
        Assert.Equal(sentBeforeWait, toB());
        Assert.Empty(link.A.Of<NegotiationFailed>());

        await link.A.CompleteAsync(computation);
        Assert.Equal(2, link.A.Of<ChildSaInstalled>().Count);
        Assert.True(toB() > sentBeforeWait);
        link.Run(TimeSpan.FromSeconds(5));
        Assert.Equal(2, link.B.Of<ChildSaInstalled>().Count);

        // The IKE SA rekey asked for meanwhile went out after the child; its own key exchange comes to the host in turn.
        Assert.Equal(2, held.Count);
        held[1].Run();
        link.A.Engine.CompleteComputation(held[1]);
        link.Run(TimeSpan.FromSeconds(5));
        Assert.Single(link.A.Of<IkeSaRekeyed>());
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }

    [Fact]
    public void A_repeated_answer_while_the_initiator_computes_starts_no_second_key_exchange()
    {
        using var link = EngineLink.Established();
        var held = link.A.HoldComputations(Held.AllButKeyPairs);
        var answers = link.CaptureTo(link.A, IkeMessages.Of(ExchangeType.CreateChildSa, response: true));

        Assert.True(link.A.Engine.RekeyChild(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        var computation = Assert.IsAssignableFrom<KeyExchangeComputation>(Assert.Single(held));
        var answer = Assert.Single(answers);

        link.A.Receive(EngineLink.AddressB, answer);
        link.A.Receive(EngineLink.AddressB, answer);
        Assert.Single(held);
        Assert.Equal(1, link.A.Engine.ComputationsInFlight);

        computation.Run();
        link.A.Engine.CompleteComputation(computation);
        link.A.Receive(EngineLink.AddressB, answer);
        link.Run(TimeSpan.FromSeconds(5));

        Assert.Single(held);
        Assert.Equal(2, link.A.Of<ChildSaInstalled>().Count);
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }

    [Fact]
    public void The_responder_answers_once_its_key_exchange_is_completed_and_the_initiators_retransmissions_start_no_second_one()
    {
        using var link = EngineLink.Established();
        var held = link.B.HoldComputations(Held.AllButKeyPairs);

        Assert.True(link.A.Engine.RekeyChild(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        var computation = Assert.IsAssignableFrom<KeyExchangeComputation>(Assert.Single(held));

        // B's own IKE SA rekey, asked for now, waits behind the answer (B has no request out to bring it along later).
        Assert.True(link.B.Engine.RekeyIke(EngineLink.PhaseB));

        // A hears nothing and retransmits; B, waiting, takes none of it.
        link.Run(TimeSpan.FromSeconds(10));
        Assert.NotEmpty(link.A.Of<RequestRetransmitted>());
        Assert.Single(held);
        Assert.Single(link.A.Of<ChildSaInstalled>());
        Assert.Single(link.B.Of<ChildSaInstalled>());

        computation.Run();
        link.B.Engine.CompleteComputation(computation);
        link.Run(TimeSpan.FromSeconds(5));

        Assert.Equal(2, link.B.Of<ChildSaInstalled>().Count);
        Assert.Equal(2, link.A.Of<ChildSaInstalled>().Count);
        Assert.Empty(link.A.Of<NegotiationFailed>());

        // Then B's IKE SA rekey went out; its own key exchange comes to the host in turn.
        Assert.Equal(2, held.Count);
        held[1].Run();
        link.B.Engine.CompleteComputation(held[1]);
        link.Run(TimeSpan.FromSeconds(5));
        Assert.Single(link.B.Of<IkeSaRekeyed>());
        Assert.Equal(0, link.B.Engine.ComputationsInFlight);
    }

    [Theory]
    [InlineData("initiator")]
    [InlineData("responder")]
    public void An_IKE_SA_torn_down_while_its_child_key_exchange_is_out_drops_the_result_wiped(string end)
    {
        using var link = EngineLink.Established();
        var (node, phase1) = end == "initiator" ? (link.A, EngineLink.PhaseA) : (link.B, EngineLink.PhaseB);
        var held = node.HoldComputations(Held.AllButKeyPairs);
        Assert.True(link.A.Engine.RekeyChild(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        var computation = Assert.IsAssignableFrom<KeyExchangeComputation>(Assert.Single(held));

        Assert.True(node.Engine.Terminate(phase1, null));
        Assert.Null(node.Engine.FindTunnel(phase1)!.Current);
        var sent = link.CountTo(node == link.A ? link.B : link.A);

        computation.Run();
        Assert.NotNull(computation.SharedSecret);
        node.Engine.CompleteComputation(computation);

        Assert.Null(computation.SharedSecret);
        Assert.Equal(0, sent());
        Assert.Single(node.Of<ChildSaInstalled>());
        Assert.Equal(0, node.Engine.ComputationsInFlight);
    }
}
