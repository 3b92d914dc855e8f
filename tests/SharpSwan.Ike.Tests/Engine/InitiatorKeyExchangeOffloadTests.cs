using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Tests.Support;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>
/// Issue 14 item 7, initiator side: the key exchange with the responder's IKE_SA_INIT answer handed to the host and taken
/// back on the engine thread. The test plays A's host: it holds the work and runs and completes it when it chooses.
/// </summary>
public sealed class InitiatorKeyExchangeOffloadTests
{
    [Fact]
    public async Task The_initiator_waits_for_its_key_exchange_without_resending_and_establishes_once_it_is_completed()
    {
        using var link = new EngineLink();
        var held = link.A.HoldComputations(Held.AllButKeyPairs);

        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        var computation = Assert.IsAssignableFrom<KeyExchangeComputation>(Assert.Single(held));
        Assert.Equal(1, link.A.Engine.ComputationsInFlight);

        // Well past the retransmission timeout: the answer is here, so nothing is resent and nothing goes on meanwhile.
        link.Run(TimeSpan.FromSeconds(10));
        Assert.Empty(link.A.Of<RequestRetransmitted>());
        Assert.Empty(link.A.Of<NegotiationFailed>());
        Assert.Empty(link.A.Of<IkeSaEstablished>());
        Assert.Empty(link.B.Of<IkeSaEstablished>());

        await link.A.CompleteAsync(computation);
        link.Run(TimeSpan.FromSeconds(5));

        Assert.Single(link.A.Of<IkeSaEstablished>());
        Assert.Single(link.B.Of<IkeSaEstablished>());
        Assert.Single(link.A.Of<ChildSaInstalled>());
        Assert.Single(link.B.Of<ChildSaInstalled>());
        Assert.Single(held);
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }

    [Fact]
    public void A_repeated_answer_while_the_key_exchange_is_out_starts_no_second_one()
    {
        using var link = new EngineLink();
        var held = link.A.HoldComputations(Held.AllButKeyPairs);
        var answers = new List<byte[]>();
        link.Intercept = (to, bytes) =>
        {
            if (to == link.A && IkeHeader.TryRead(bytes, out var header) && header.Exchange == ExchangeType.IkeSaInit && header.IsResponse)
            {
                answers.Add(bytes);
            }

            return false;
        };

        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        var computation = Assert.IsAssignableFrom<KeyExchangeComputation>(Assert.Single(held));
        var answer = Assert.Single(answers);

        link.A.Receive(EngineLink.AddressB, answer);
        link.A.Receive(EngineLink.AddressB, answer);
        Assert.Single(held);
        Assert.Equal(1, link.A.Engine.ComputationsInFlight);

        computation.Run();
        link.A.Engine.CompleteComputation(computation);
        link.Run(TimeSpan.FromSeconds(5));
        Assert.Single(link.A.Of<IkeSaEstablished>());

        // Once keyed, the same answer again is no answer to anything outstanding.
        link.A.Receive(EngineLink.AddressB, answer);
        link.Run(TimeSpan.FromSeconds(1));
        Assert.Single(held);
        Assert.Single(link.A.Of<IkeSaEstablished>());
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }

    [Theory]
    [InlineData("negotiate-timeout")]
    [InlineData("terminate")]
    public void An_SA_gone_while_its_key_exchange_is_out_sends_nothing_more_and_the_result_is_wiped(string end)
    {
        using var link = new EngineLink();
        var held = link.A.HoldComputations(Held.AllButKeyPairs);
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        var computation = Assert.IsAssignableFrom<KeyExchangeComputation>(Assert.Single(held));

        if (end == "terminate")
        {
            Assert.True(link.A.Engine.Terminate(EngineLink.PhaseA, null));
        }
        else
        {
            // negotiate-timeout (30 s) ends the wait even though nothing is resent meanwhile.
            link.Run(TimeSpan.FromSeconds(40));
            Assert.Single(link.A.Of<ExchangeTimedOut>());
            Assert.Single(link.A.Of<NegotiationFailed>());
        }

        Assert.Null(link.A.Engine.FindTunnel(EngineLink.PhaseA)!.Current);
        var toB = 0;
        link.Intercept = (to, _) =>
        {
            toB += to == link.B ? 1 : 0;
            return false;
        };

        computation.Run();
        Assert.NotNull(Assert.IsType<KeyExchangeComputation<IkeSaKeys>>(computation, exactMatch: false).Keys);
        link.A.Engine.CompleteComputation(computation);
        link.Run(TimeSpan.FromSeconds(5));

        Assert.Null(Assert.IsType<KeyExchangeComputation<IkeSaKeys>>(computation, exactMatch: false).Keys);
        Assert.Equal(0, toB);
        Assert.Empty(link.A.Of<IkeSaEstablished>());
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }
}
