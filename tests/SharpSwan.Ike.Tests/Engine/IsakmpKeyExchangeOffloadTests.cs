using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Tests.Support;
using SharpSwan.Ike.V1.Exchanges;
using SharpSwan.Ike.V1.Keys;
using SharpSwan.Testing;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>
/// IKEv1's key exchanges handed to the host and taken back on the engine thread, as IKEv2's are: main and aggressive mode
/// as either end (A initiates, B answers), and quick mode with PFS as either end (A rekeys its phase 2). The test plays the
/// host of one end: it holds that end's one computation and runs and completes it when it chooses; anything after it is
/// computed inline again.
/// </summary>
public sealed class IsakmpKeyExchangeOffloadTests
{
    [Theory]
    [InlineData("main", "initiator", typeof(MainModeInitiatorComputation))]
    [InlineData("main", "responder", typeof(MainModeResponderComputation))]
    [InlineData("aggressive", "initiator", typeof(AggressiveModeInitiatorComputation))]
    [InlineData("aggressive", "responder", typeof(AggressiveModeResponderComputation))]
    public async Task Phase1_waits_for_its_key_exchange_sends_nothing_meanwhile_and_then_comes_up_once(string mode, string end, Type kind)
    {
        using var link = EngineLink.Ikev1(mode);
        var (node, peer) = end == "initiator" ? (link.A, link.B) : (link.B, link.A);
        var held = HoldFirst(node);
        var toNode = link.CaptureTo(node);
        var toPeer = link.CountTo(peer);

        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        var computation = Assert.Single(held);
        Assert.IsType(kind, computation);
        Assert.Equal(1, node.Engine.ComputationsInFlight);
        var trigger = toNode[^1];
        var sentBeforeWait = toPeer();

        // The peer's retransmissions (and the message that started the work, again) find the SA waiting: no second
        // computation, no step, nothing sent, however long it takes (short of negotiate-timeout).
        node.Receive(PeerAddress(peer), trigger);
        node.Receive(PeerAddress(peer), trigger);
        link.Run(TimeSpan.FromSeconds(10));
        Assert.Single(held);
        Assert.Equal(sentBeforeWait, toPeer());
        Assert.Empty(link.A.Of<IkeSaEstablished>());
        Assert.Empty(link.B.Of<IkeSaEstablished>());
        Assert.Empty(link.A.Of<NegotiationFailed>());
        Assert.Empty(link.B.Of<NegotiationFailed>());

        await node.CompleteAsync(computation);
        Assert.True(toPeer() > sentBeforeWait);
        link.Run(TimeSpan.FromSeconds(5));

        // A late repeat of the message that started the work is answered from what was kept, or ignored: nothing new.
        node.Receive(PeerAddress(peer), trigger);
        link.Run(TimeSpan.FromSeconds(5));
        Assert.Single(held);
        Assert.Single(link.A.Of<IkeSaEstablished>());
        Assert.Single(link.B.Of<IkeSaEstablished>());
        Assert.Single(link.A.Of<ChildSaInstalled>());
        Assert.Single(link.B.Of<ChildSaInstalled>());
        Assert.Empty(link.A.Of<NegotiationFailed>());
        Assert.Empty(link.B.Of<NegotiationFailed>());
        Assert.Equal(0, node.Engine.ComputationsInFlight);
    }

    [Theory]
    [InlineData("main", "initiator")]
    [InlineData("main", "responder")]
    [InlineData("aggressive", "initiator")]
    [InlineData("aggressive", "responder")]
    public void Phase1_result_arriving_after_negotiate_timeout_removed_the_SA_is_wiped_and_dropped(string mode, string end)
    {
        using var link = EngineLink.Ikev1(mode);
        var (node, peer) = end == "initiator" ? (link.A, link.B) : (link.B, link.A);
        var held = HoldFirst(node);
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        var computation = Assert.IsAssignableFrom<KeyExchangeComputation<IsakmpSaKeys>>(Assert.Single(held));

        // negotiate-timeout (30 s) ends the wait even though nothing is resent meanwhile.
        link.Run(TimeSpan.FromSeconds(40));
        Assert.All(node.Engine.Tunnels, t => Assert.Empty(t.Sas));
        Assert.Equal(0, node.Engine.HalfOpenCount);
        var toPeer = link.CountTo(peer);

        computation.Run();
        Assert.NotNull(computation.Keys);
        node.Engine.CompleteComputation(computation);
        link.Run(TimeSpan.FromSeconds(5));

        Assert.Null(computation.Keys);
        Assert.Equal(0, toPeer());
        Assert.Empty(node.Of<IkeSaEstablished>());
        Assert.Equal(0, node.Engine.ComputationsInFlight);
    }

    [Theory]
    [InlineData("initiator", typeof(QuickModeInitiatorComputation))]
    [InlineData("responder", typeof(QuickModeResponderComputation))]
    public async Task Quick_mode_with_PFS_waits_for_its_key_exchange_sends_nothing_meanwhile_and_then_installs_once(string end, Type kind)
    {
        using var link = EngineLink.EstablishedIkev1();
        var (node, peer) = end == "initiator" ? (link.A, link.B) : (link.B, link.A);
        var held = HoldFirst(node);
        var toNode = link.CaptureTo(node);
        var toPeer = link.CountTo(peer);

        Assert.True(link.A.Engine.RekeyChild(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        var computation = Assert.Single(held);
        Assert.IsType(kind, computation);
        var trigger = toNode[^1];
        var sentBeforeWait = toPeer();

        // The peer resends (our answer is late) and the message that started the work comes again: the SA waits.
        node.Receive(PeerAddress(peer), trigger);
        link.Run(TimeSpan.FromSeconds(5));
        Assert.NotEmpty(peer.Of<RequestRetransmitted>());
        Assert.Single(held);
        Assert.Equal(sentBeforeWait, toPeer());
        Assert.Single(link.A.Of<ChildSaInstalled>());
        Assert.Single(link.B.Of<ChildSaInstalled>());

        await node.CompleteAsync(computation);
        Assert.True(toPeer() > sentBeforeWait);
        link.Run(TimeSpan.FromSeconds(5));
        node.Receive(PeerAddress(peer), trigger);
        link.Run(TimeSpan.FromSeconds(5));

        Assert.Single(held);
        Assert.Equal(2, link.A.Of<ChildSaInstalled>().Count);
        Assert.Equal(2, link.B.Of<ChildSaInstalled>().Count);
        Assert.Empty(link.A.Of<NegotiationFailed>());
        Assert.Empty(link.B.Of<NegotiationFailed>());
        Assert.Equal(0, node.Engine.ComputationsInFlight);
    }

    [Theory]
    [InlineData("initiator")]
    [InlineData("responder")]
    public void Quick_mode_result_arriving_after_its_ISAKMP_SA_was_torn_down_is_wiped_and_dropped(string end)
    {
        using var link = EngineLink.EstablishedIkev1();
        var (node, phase1) = end == "initiator" ? (link.A, EngineLink.PhaseA) : (link.B, EngineLink.PhaseB);
        var held = HoldFirst(node);
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

    [Fact]
    public void A_DELETE_that_arrives_while_quick_mode_computes_is_still_taken_and_the_result_then_dropped()
    {
        using var link = EngineLink.EstablishedIkev1();
        var held = HoldFirst(link.B);
        Assert.True(link.A.Engine.RekeyChild(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        var computation = Assert.IsType<QuickModeResponderComputation>(Assert.Single(held));

        // IKEv1 informational messages are sent once: B takes A's DELETE while it waits, instead of losing it.
        Assert.True(link.A.Engine.Terminate(EngineLink.PhaseA, null));
        link.Run(TimeSpan.FromMilliseconds(10));
        Assert.Null(link.B.Engine.FindTunnel(EngineLink.PhaseB)!.Current);

        computation.Run();
        link.B.Engine.CompleteComputation(computation);
        Assert.Null(computation.SharedSecret);
        Assert.Single(link.B.Of<ChildSaInstalled>());
        Assert.Equal(0, link.B.Engine.ComputationsInFlight);
    }

    /// <summary>
    /// Holds the node's next key exchange computation; every one after it, and our own key pairs (IsakmpKeyPairOffloadTests),
    /// are computed inline.
    /// </summary>
    private static List<EngineComputation> HoldFirst(EngineNetwork.Node node)
    {
        var held = new List<EngineComputation>();
        node.Offload = c =>
        {
            if (held.Count > 0 || c is MainModeInitiatorKeyPairComputation or AggressiveModeInitiatorKeyPairComputation or QuickModeInitiatorKeyPairComputation)
            {
                return false;
            }

            held.Add(c);
            return true;
        };
        return held;
    }

    private static string PeerAddress(EngineNetwork.Node peer) => peer.Address.ToString();
}
