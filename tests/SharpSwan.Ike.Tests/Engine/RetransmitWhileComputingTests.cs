using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Tests.Support;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>
/// An established SA's own outstanding request (here a DPD probe) while the SA computes something else (here its answer
/// to the peer's CREATE_CHILD_SA): the computation is no answer to that request, so it is retransmitted, and given up on,
/// on its usual schedule. The test plays A's host and holds A's responder work.
/// </summary>
public sealed class RetransmitWhileComputingTests
{
    [Fact]
    public void A_DPD_probe_outstanding_while_the_SA_computes_is_retransmitted_and_given_up_on_as_usual()
    {
        using var link = new EngineLink(phase1ExtraA: "set dpd on-idle\n set dpd-retryinterval 5\n set dpd-retrycount 3");
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromSeconds(1));
        Assert.Single(link.A.Of<IkeSaEstablished>());

        // A's probes are lost on the way to B; everything else goes through.
        var probes = 0;
        link.Intercept = (to, bytes) =>
        {
            var probe = to == link.B && IkeHeader.TryRead(bytes, out var header) && header.Exchange == ExchangeType.Informational && !header.IsResponse;
            probes += probe ? 1 : 0;
            return probe;
        };
        var held = link.A.HoldComputations(c => c is ResponderChildComputation);
        link.Run(TimeSpan.FromSeconds(5));
        Assert.Single(link.A.Of<LivenessProbeSent>());
        Assert.Equal(1, probes);

        // B rekeys the child: A waits for its answer's key exchange, with its probe still outstanding.
        Assert.True(link.B.Engine.RekeyChild(EngineLink.PhaseB, EngineLink.Phase2B));
        link.Run(TimeSpan.FromMilliseconds(10));
        var computation = Assert.IsAssignableFrom<KeyExchangeComputation>(Assert.Single(held));

        link.Run(TimeSpan.FromSeconds(12));
        Assert.Equal(3, probes);
        Assert.Equal(2, link.A.Of<RequestRetransmitted>().Count);
        Assert.Empty(link.A.Of<DpdFailed>());

        // The retry count runs out as it would without the computation: the peer is declared dead.
        link.Run(TimeSpan.FromSeconds(10));
        Assert.Single(link.A.Of<DpdFailed>());
        Assert.Null(link.A.Engine.FindTunnel(EngineLink.PhaseA)!.Current);

        computation.Run();
        link.A.Engine.CompleteComputation(computation);
        Assert.Null(computation.SharedSecret);
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }
}
