using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Tests.Support;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>
/// Issue 14 item 7: the responder's IKE_SA_INIT key exchange handed to the host (a worker pool in the gateway) and taken
/// back on the engine thread. The test plays the host: it holds the work, runs it on another thread, and completes it
/// when and in the order it chooses.
/// </summary>
public sealed class KeyExchangeOffloadTests
{
    private const string NoCookies = "set ike-cookie-threshold 1000";

    [Fact]
    public async Task A_retransmission_during_the_computation_starts_none_of_its_own_and_exactly_one_answer_follows_it()
    {
        using var rig = new FloodRig(NoCookies);
        var held = rig.Hub.HoldComputations();
        var source = FloodRig.Spoofed(1);
        var request = rig.NewRequest();

        rig.Send(request, source);
        rig.Send(request, source);

        var computation = Assert.IsAssignableFrom<KeyExchangeComputation>(Assert.Single(held));
        Assert.Empty(rig.AnswersTo(source));
        Assert.Equal(1, rig.Hub.Engine.HalfOpenCount);
        Assert.Equal(1, rig.Hub.Engine.ComputationsInFlight);

        await Task.Run(computation.Run);
        rig.Hub.Engine.CompleteComputation(computation);

        var answer = Assert.Single(rig.AnswersTo(source));
        Assert.NotNull(answer.Find<KeyExchangePayload>());
        Assert.Single(rig.Hub.Of<IkeSaInitAnswered>());
        Assert.Equal(0, rig.Hub.Engine.ComputationsInFlight);

        // After the answer, a retransmission is answered from it, byte for byte, and still computes nothing.
        rig.Send(request, source);
        var sent = rig.Network.Unrouted.Where(u => u.To.Address.Equals(source)).Select(u => u.Bytes).ToList();
        Assert.Equal(2, sent.Count);
        Assert.Equal(sent[0], sent[1]);
        Assert.Single(held);
    }

    [Fact]
    public void Computations_completed_in_the_reverse_order_each_answer_their_own_peer_with_their_own_keys()
    {
        using var rig = new FloodRig(NoCookies);
        var held = rig.Hub.HoldComputations();
        var first = FloodRig.Spoofed(1);
        var second = FloodRig.Spoofed(2);
        var firstRequest = rig.NewRequest();
        var secondRequest = rig.NewRequest();
        rig.Send(firstRequest, first);
        rig.Send(secondRequest, second);
        Assert.Equal(2, held.Count);

        Parallel.ForEach(held, c => c.Run());
        rig.Hub.Engine.CompleteComputation(held[1]);
        Assert.Empty(rig.AnswersTo(first));
        rig.Hub.Engine.CompleteComputation(held[0]);

        var toFirst = Assert.Single(rig.AnswersTo(first));
        var toSecond = Assert.Single(rig.AnswersTo(second));
        Assert.Equal(InitiatorSpi(firstRequest), toFirst.Header.InitiatorSpi);
        Assert.Equal(InitiatorSpi(secondRequest), toSecond.Header.InitiatorSpi);
        Assert.NotEqual(toFirst.Find<KeyExchangePayload>()!.Data, toSecond.Find<KeyExchangePayload>()!.Data);
        Assert.Equal(2, rig.Hub.Engine.HalfOpenCount);
    }

    [Fact]
    public void An_SA_removed_while_its_computation_is_in_flight_gets_no_answer_and_the_result_is_wiped()
    {
        using var rig = new FloodRig(NoCookies);
        var held = rig.Hub.HoldComputations();
        var source = FloodRig.Spoofed(3);
        rig.Send(rig.NewRequest(), source);
        var computation = Assert.IsAssignableFrom<KeyExchangeComputation>(Assert.Single(held));

        // negotiate-timeout (30 s) removes the half-open SA while its work is still out.
        rig.Network.Run(TimeSpan.FromSeconds(40));
        Assert.Equal(0, rig.Hub.Engine.HalfOpenCount);

        computation.Run();
        Assert.NotNull(Assert.IsType<KeyExchangeComputation<IkeSaKeys>>(computation, exactMatch: false).Keys);
        rig.Hub.Engine.CompleteComputation(computation);

        Assert.Empty(rig.AnswersTo(source));
        Assert.Empty(rig.Hub.Of<IkeSaInitAnswered>());
        Assert.Null(Assert.IsType<KeyExchangeComputation<IkeSaKeys>>(computation, exactMatch: false).Keys);
        Assert.Equal(0, rig.Hub.Engine.HalfOpenCount);
    }

    [Fact]
    public async Task A_client_establishes_through_a_hub_that_computes_on_other_threads()
    {
        using var rig = new FloodRig(NoCookies);
        var held = rig.Hub.HoldComputations();

        Assert.True(rig.ClientNode.Engine.Initiate(FloodRig.Client, FloodRig.ClientPhase2));
        rig.Network.Run(TimeSpan.FromMilliseconds(10));
        var computation = Assert.IsAssignableFrom<KeyExchangeComputation>(Assert.Single(held));
        await Task.Run(computation.Run);
        rig.Hub.Engine.CompleteComputation(computation);
        rig.Network.Run(TimeSpan.FromSeconds(5));

        Assert.Single(rig.ClientNode.Of<IkeSaEstablished>());
        Assert.Single(rig.Hub.Of<IkeSaEstablished>());
        Assert.Single(rig.Hub.Of<ChildSaInstalled>());
    }

    [Fact]
    public void Completing_work_that_never_ran_is_refused()
    {
        using var rig = new FloodRig(NoCookies);
        var held = rig.Hub.HoldComputations();
        rig.Send(rig.NewRequest(), FloodRig.Spoofed(4));

        Assert.Throws<InvalidOperationException>(() => rig.Hub.Engine.CompleteComputation(Assert.Single(held)));
    }

    private static ulong InitiatorSpi(byte[] request) => System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(request);
}
