using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Tests.Support;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>
/// Issue 14 item 7, IKE SA rekey: its key exchange handed to the host, as the initiator (A rekeys) and as the responder
/// (B answers), and taken back on the engine thread. The test plays the host of one end: it holds the work and runs and
/// completes it when it chooses; the IKE SA is set up before it does.
/// </summary>
public sealed class IkeRekeyKeyExchangeOffloadTests
{
    [Fact]
    public async Task The_initiator_takes_the_new_IKE_SA_once_the_key_exchange_is_completed_and_a_repeated_answer_starts_no_second_one()
    {
        using var link = EngineLink.Established();
        var held = link.A.HoldComputations(Held.AllButKeyPairs);
        var answers = new List<byte[]>();
        var toB = 0;
        link.Intercept = (to, bytes) =>
        {
            toB += to == link.B ? 1 : 0;
            if (to == link.A && IkeHeader.TryRead(bytes, out var header) && header.Exchange == ExchangeType.CreateChildSa && header.IsResponse)
            {
                answers.Add(bytes);
            }

            return false;
        };
        var old = link.A.Engine.FindTunnel(EngineLink.PhaseA)!.Current!;

        Assert.True(link.A.Engine.RekeyIke(EngineLink.PhaseA));
        link.Run(TimeSpan.FromMilliseconds(10));
        var computation = Assert.IsAssignableFrom<KeyExchangeComputation>(Assert.Single(held));
        var answer = Assert.Single(answers);
        var sentBeforeWait = toB;

        link.A.Receive(EngineLink.AddressB, answer);
        link.Run(TimeSpan.FromSeconds(10));
        Assert.Single(held);
        Assert.Equal(sentBeforeWait, toB);
        Assert.Empty(link.A.Of<IkeSaRekeyed>());
        Assert.Same(old, link.A.Engine.FindTunnel(EngineLink.PhaseA)!.Current);

        await link.A.CompleteAsync(computation);
        link.Run(TimeSpan.FromSeconds(5));

        Assert.Single(link.A.Of<IkeSaRekeyed>());
        Assert.Single(link.B.Of<IkeSaRekeyed>());
        Assert.NotSame(old, link.A.Engine.FindTunnel(EngineLink.PhaseA)!.Current);
        Assert.Empty(link.A.Of<NegotiationFailed>());
        Assert.Single(held);
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }

    [Fact]
    public void The_responder_answers_once_its_key_exchange_is_completed_and_the_initiators_retransmissions_start_no_second_one()
    {
        using var link = EngineLink.Established();
        var held = link.B.HoldComputations(Held.AllButKeyPairs);

        Assert.True(link.A.Engine.RekeyIke(EngineLink.PhaseA));
        link.Run(TimeSpan.FromMilliseconds(10));
        var computation = Assert.IsAssignableFrom<KeyExchangeComputation>(Assert.Single(held));

        link.Run(TimeSpan.FromSeconds(10));
        Assert.NotEmpty(link.A.Of<RequestRetransmitted>());
        Assert.Single(held);
        Assert.Empty(link.A.Of<IkeSaRekeyed>());
        Assert.Empty(link.B.Of<IkeSaRekeyed>());

        computation.Run();
        link.B.Engine.CompleteComputation(computation);
        link.Run(TimeSpan.FromSeconds(5));

        Assert.Single(link.B.Of<IkeSaRekeyed>());
        Assert.Single(link.A.Of<IkeSaRekeyed>());
        Assert.Empty(link.A.Of<NegotiationFailed>());
        Assert.Single(held);
        Assert.Equal(0, link.B.Engine.ComputationsInFlight);
    }

    [Theory]
    [InlineData("initiator")]
    [InlineData("responder")]
    public void An_IKE_SA_torn_down_while_its_rekey_key_exchange_is_out_drops_the_result_wiped(string end)
    {
        using var link = EngineLink.Established();
        var (node, phase1) = end == "initiator" ? (link.A, EngineLink.PhaseA) : (link.B, EngineLink.PhaseB);
        var held = node.HoldComputations(Held.AllButKeyPairs);
        Assert.True(link.A.Engine.RekeyIke(EngineLink.PhaseA));
        link.Run(TimeSpan.FromMilliseconds(10));
        var computation = Assert.IsAssignableFrom<KeyExchangeComputation>(Assert.Single(held));

        Assert.True(node.Engine.Terminate(phase1, null));
        Assert.Null(node.Engine.FindTunnel(phase1)!.Current);
        var other = node == link.A ? link.B : link.A;
        var sent = 0;
        link.Intercept = (to, _) =>
        {
            sent += to == other ? 1 : 0;
            return false;
        };

        computation.Run();
        Assert.NotNull(computation.SharedSecret);
        node.Engine.CompleteComputation(computation);

        Assert.Null(computation.SharedSecret);
        Assert.Equal(0, sent);
        Assert.Empty(node.Of<IkeSaRekeyed>());
        Assert.Null(node.Engine.FindTunnel(phase1)!.Current);
        Assert.Equal(0, node.Engine.ComputationsInFlight);
    }
}
