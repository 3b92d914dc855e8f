using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Tests.Support;
using SharpSwan.Ike.Wire;
using SharpSwan.Testing;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>
/// Our own Diffie-Hellman key pair when we initiate (IKE_SA_INIT, CREATE_CHILD_SA with PFS, an IKE SA rekey) handed to
/// the host: the private key is drawn on the engine thread, the key pair is made elsewhere, and the request leaves only
/// once it is back. The test plays the initiator's host.
/// </summary>
public sealed class KeyPairOffloadTests
{
    [Fact]
    public async Task The_IKE_SA_INIT_request_leaves_only_once_the_initiator_key_pair_is_back_and_carries_its_public_value()
    {
        using var link = new EngineLink();
        var held = link.A.HoldComputations();
        var requests = link.CaptureTo(link.B, IkeMessages.Of(ExchangeType.IkeSaInit, response: false));
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));

        var pair = Assert.IsType<InitiatorSaInitKeyPairComputation>(Assert.Single(held));
        link.Run(TimeSpan.FromSeconds(5));
        Assert.Empty(requests);
        Assert.Equal(1, link.A.Engine.ComputationsInFlight);

        await Task.Run(pair.Run);
        link.A.Offload = null;
        link.A.Engine.CompleteComputation(pair);
        var request = IkeMessageCodec.Decode(Assert.Single(requests), null).Message!;
        Assert.Equal(pair.PublicValue, request.Find<KeyExchangePayload>()!.Data);
        link.Run(TimeSpan.FromSeconds(5));

        Assert.Single(link.A.Of<IkeSaEstablished>());
        Assert.Single(link.B.Of<ChildSaInstalled>());
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }

    [Theory]
    [InlineData("child rekey")]
    [InlineData("IKE rekey")]
    public async Task A_CREATE_CHILD_SA_request_leaves_only_once_its_key_pair_is_back(string what)
    {
        using var link = EngineLink.Established();
        var held = link.A.HoldComputations();
        var requests = link.CaptureTo(link.B, IkeMessages.Of(ExchangeType.CreateChildSa, response: false));
        Assert.True(what == "IKE rekey" ? link.A.Engine.RekeyIke(EngineLink.PhaseA) : link.A.Engine.RekeyChild(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));

        var pair = Assert.Single(held);
        Assert.IsType(what == "IKE rekey" ? typeof(InitiatorIkeRekeyKeyPairComputation) : typeof(InitiatorChildKeyPairComputation), pair);
        link.Run(TimeSpan.FromSeconds(5));
        Assert.Empty(requests);

        await Task.Run(pair.Run);
        link.A.Offload = null;
        link.A.Engine.CompleteComputation(pair);
        Assert.Single(requests);
        link.Run(TimeSpan.FromSeconds(5));

        if (what == "IKE rekey")
        {
            Assert.Single(link.A.Of<IkeSaRekeyed>());
            Assert.Single(link.B.Of<IkeSaRekeyed>());
        }
        else
        {
            Assert.Equal(2, link.A.Of<ChildSaInstalled>().Count);
            Assert.Equal(2, link.B.Of<ChildSaInstalled>().Count);
        }

        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }

    [Fact]
    public void An_initiator_gone_while_its_key_pair_is_made_sends_nothing_and_the_pair_is_disposed()
    {
        using var link = new EngineLink();
        var held = link.A.HoldComputations();
        var requests = link.CaptureTo(link.B, IkeMessages.Of(ExchangeType.IkeSaInit, response: false));
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        var pair = Assert.IsType<InitiatorSaInitKeyPairComputation>(Assert.Single(held));

        Assert.True(link.A.Engine.Terminate(EngineLink.PhaseA, null));
        pair.Run();
        Assert.NotNull(pair.KeyPair);
        link.A.Engine.CompleteComputation(pair);
        link.Run(TimeSpan.FromSeconds(5));

        Assert.Null(pair.KeyPair);
        Assert.Empty(requests);
        Assert.Empty(link.A.Of<IkeSaEstablished>());
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }

    [Fact]
    public void Negotiate_timeout_ends_the_wait_for_the_IKE_SA_INIT_key_pair_as_for_an_unanswered_request_and_the_late_pair_is_wiped()
    {
        using var link = new EngineLink();
        var held = link.A.HoldComputations();
        var requests = link.CaptureTo(link.B, IkeMessages.Of(ExchangeType.IkeSaInit, response: false));
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        var pair = Assert.IsType<InitiatorSaInitKeyPairComputation>(Assert.Single(held));

        // The host never gives it back: negotiate-timeout (30 s) ends the attempt as it ends an unanswered IKE_SA_INIT.
        link.Run(TimeSpan.FromSeconds(40));
        Assert.Equal("SA_INIT", Assert.Single(link.A.Of<ExchangeTimedOut>()).Exchange);
        Assert.Equal(NegotiationStage.IkeSaInit, Assert.Single(link.A.Of<NegotiationFailed>()).Stage);
        Assert.Null(link.A.Engine.FindTunnel(EngineLink.PhaseA)!.Current);
        Assert.Equal(1, link.A.Engine.ComputationsInFlight);

        pair.Run();
        Assert.NotNull(pair.KeyPair);
        link.A.Engine.CompleteComputation(pair);
        link.Run(TimeSpan.FromSeconds(5));

        Assert.Null(pair.KeyPair);
        Assert.Empty(requests);
        Assert.Empty(link.A.Of<IkeSaEstablished>());
        Assert.Single(held);
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }

    [Fact]
    public void On_an_established_SA_a_key_pair_never_given_back_ends_the_wait_as_an_unanswered_request_would()
    {
        using var link = EngineLink.Established();
        var held = link.A.HoldComputations();
        Assert.True(link.A.Engine.RekeyChild(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        var pair = Assert.IsType<InitiatorChildKeyPairComputation>(Assert.Single(held));

        // Past the time a CREATE_CHILD_SA is retransmitted before we give up (2 s doubling, five retransmissions: 126 s).
        link.Run(TimeSpan.FromSeconds(150));
        Assert.Equal($"CREATE_CHILD rekey {EngineLink.Phase2A}", Assert.Single(link.A.Of<ExchangeTimedOut>()).Exchange);
        Assert.Single(link.A.Of<NegotiationFailed>());
        Assert.Null(link.A.Engine.FindTunnel(EngineLink.PhaseA)!.Current);

        pair.Run();
        link.A.Engine.CompleteComputation(pair);
        Assert.Null(pair.KeyPair);
        Assert.Single(held);
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }

    [Fact]
    public void A_child_rekey_whose_key_pair_cannot_be_made_leaves_the_child_to_be_rekeyed_again()
    {
        using var link = EngineLink.Established();
        FailedKeyPair.LeavesTheChildToBeRekeyedAgain<InitiatorChildKeyPairComputation>(link);
    }

    [Fact]
    public void An_IKE_rekey_whose_key_pair_cannot_be_made_is_tried_again_later()
    {
        using var link = EngineLink.Established();
        var held = link.A.HoldComputations();
        Assert.True(link.A.Engine.RekeyIke(EngineLink.PhaseA));
        link.Run(TimeSpan.FromMilliseconds(10));
        var failed = Assert.IsType<InitiatorIkeRekeyKeyPairComputation>(Assert.Single(held));

        failed.Discard();
        link.A.Engine.CompleteComputation(failed);
        Assert.Empty(link.A.Of<NegotiationFailed>());

        // Tried again by itself, as after a refused rekey.
        link.Run(TimeSpan.FromSeconds(10));
        Assert.Equal(2, held.Count);
        var pair = Assert.IsType<InitiatorIkeRekeyKeyPairComputation>(held[1]);
        pair.Run();
        link.A.Offload = null;
        link.A.Engine.CompleteComputation(pair);
        link.Run(TimeSpan.FromSeconds(5));

        Assert.Single(link.A.Of<IkeSaRekeyed>());
        Assert.Single(link.B.Of<IkeSaRekeyed>());
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }
}
