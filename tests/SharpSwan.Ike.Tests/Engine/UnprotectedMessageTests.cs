using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Tests.Support;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>
/// Issue 11, item 1: after IKE_SA_INIT a message must carry SK first and verify. Plaintext messages with the live SA's SPIs
/// and the right message IDs (what an on-path attacker can see) are dropped, counted and published, never answered or acted on.
/// </summary>
public sealed class UnprotectedMessageTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    [Fact]
    public void PlaintextDeleteOfTheIkeSa_IsDroppedUnanswered_AndTheSaAndItsChildSurvive()
    {
        using var link = Established(out var sa);
        var sentToB = CountDatagramsTo(link, link.B);
        var expected = sa.NextExpectedRequestId;
        var children = sa.Children.Select(c => c.InboundSpi).ToList();

        // B is the responder: its requests carry no I flag and the ID A expects next.
        InjectFromB(link, sa, ExchangeType.Informational, IkeFlags.None, expected, [new DeletePayload(ProtocolId.Ike, [])]);
        link.Run(Settle);

        Assert.Same(sa, link.A.Engine.Tunnels.Single().Current);
        Assert.Equal(IkeSaState.Established, sa.State);
        Assert.Equal(children, sa.Children.Select(c => c.InboundSpi).ToList());
        Assert.Empty(link.A.Of<IkeSaDeleted>());
        Assert.Empty(link.A.Of<ChildSaDeleted>());
        Assert.Equal(0, sentToB());
        Assert.Equal(expected, sa.NextExpectedRequestId);
        Assert.Equal(1, link.A.Engine.Statistics.UnprotectedDropped);
        Assert.Equal(1, sa.Tunnel.UnprotectedDrops);
        var dropped = Assert.Single(link.A.Of<UnprotectedMessageDropped>());
        Assert.Equal((sa.InitiatorSpi, sa.ResponderSpi), (dropped.InitiatorSpi, dropped.ResponderSpi));
        Assert.Equal(ExchangeType.Informational, dropped.Exchange);
        Assert.Equal(expected, dropped.MessageId);
        Assert.False(dropped.IsResponse);
        Assert.Equal(UnprotectedMessageReason.NotEncrypted, dropped.Reason);
        Assert.Equal(EngineLink.PhaseA, dropped.Phase1);
    }

    [Fact]
    public void PlaintextErrorNotifyAnsweringAnOutstandingRequest_DoesNotAbortTheExchange()
    {
        using var link = Established(out var sa);
        var first = Assert.Single(sa.Children);
        Assert.True(link.A.Engine.RekeyChild(EngineLink.PhaseA, EngineLink.Phase2A));

        // The forged answer arrives before B's real one, with the ID of A's outstanding CREATE_CHILD_SA request.
        var outstanding = sa.NextRequestId - 1;
        InjectFromB(link, sa, ExchangeType.CreateChildSa, IkeFlags.Response, outstanding, [new NotifyPayload(ProtocolId.None, [], NotifyType.NoProposalChosen, [])]);
        link.Run(Settle);

        Assert.Empty(link.A.Of<NegotiationFailed>());
        Assert.Contains(link.A.Of<ChildSaInstalled>(), c => c.RekeyOf == first.InboundSpi);
        Assert.Equal(IkeSaState.Established, sa.State);
        Assert.Equal(1, link.A.Engine.Statistics.UnprotectedDropped);
        var dropped = Assert.Single(link.A.Of<UnprotectedMessageDropped>());
        Assert.True(dropped.IsResponse);
        Assert.Equal(ExchangeType.CreateChildSa, dropped.Exchange);
        Assert.Equal(outstanding, dropped.MessageId);
    }

    [Fact]
    public void PlaintextIkeAuthRequest_IsNotAnswered_AndTheNextRealExchangeStillUsesTheExpectedId()
    {
        using var link = Established(out var sa);
        var sentToB = CountDatagramsTo(link, link.B);
        var expected = sa.NextExpectedRequestId;
        IkePayload[] auth =
        [
            new IdentificationPayload(IsInitiator: false, IdType.Fqdn, "attacker.example"u8.ToArray()),
            new AuthenticationPayload(AuthMethod.SharedKeyMessageIntegrityCode, new byte[32]),
        ];

        InjectFromB(link, sa, ExchangeType.IkeAuth, IkeFlags.None, expected, auth);
        link.Run(Settle);

        Assert.Equal(0, sentToB());
        Assert.Equal(expected, sa.NextExpectedRequestId);
        Assert.Equal(IkeSaState.Established, sa.State);
        Assert.Empty(link.A.Of<AuthenticationFailed>());
        Assert.Equal(ExchangeType.IkeAuth, Assert.Single(link.A.Of<UnprotectedMessageDropped>()).Exchange);

        // B's own next request carries that same ID and is answered: the forged one moved nothing.
        Assert.True(link.B.Engine.RekeyChild(EngineLink.PhaseB, EngineLink.Phase2B));
        link.Run(Settle);
        Assert.Single(link.A.Of<ChildSaInstalled>(), c => c.RekeyOf is not null);
        Assert.True(sa.NextExpectedRequestId > expected);
        Assert.Equal(link.B.Engine.Tunnels.Single().Current!.NextRequestId, sa.NextExpectedRequestId);
    }

    [Fact]
    public void PlaintextRepeatOfAnAnsweredRequest_GetsNoRetransmittedResponse()
    {
        using var link = Established(out _);
        var responder = link.B.Engine.Tunnels.Single().Current!;
        var sentToA = CountDatagramsTo(link, link.A);

        // B answered A's IKE_AUTH (ID 1) and keeps that answer for a repeat; a plaintext "repeat" must not draw it out.
        var answered = responder.NextExpectedRequestId - 1;
        var header = new IkeHeader(responder.InitiatorSpi, responder.ResponderSpi, PayloadType.None, ExchangeType.IkeAuth, IkeFlags.Initiator, answered, 0);
        link.B.Engine.ReceiveDatagram(responder.Local, responder.Remote, IkeMessageCodec.Encode(header, [new NotifyPayload(ProtocolId.None, [], NotifyType.InitialContact, [])]));
        link.Run(Settle);

        Assert.Equal(0, sentToA());
        Assert.Equal(1, link.B.Engine.Statistics.UnprotectedDropped);
    }

    [Fact]
    public void ProtectedMessageFailingItsIntegrityCheck_IsCountedApart()
    {
        using var link = Established(out var sa);
        var sentToB = CountDatagramsTo(link, link.B);
        var header = new IkeHeader(sa.InitiatorSpi, sa.ResponderSpi, PayloadType.None, ExchangeType.Informational, IkeFlags.None, sa.NextExpectedRequestId, 0);
        var forged = IkeMessageCodec.EncodeProtected(header, [new DeletePayload(ProtocolId.Ike, [])], sa.Outbound!);

        link.A.Engine.ReceiveDatagram(sa.Local, sa.Remote, forged);
        link.Run(Settle);

        Assert.Equal(IkeSaState.Established, sa.State);
        Assert.Equal(0, sentToB());
        Assert.Equal(1, link.A.Engine.Statistics.IntegrityFailed);
        Assert.Equal(0, link.A.Engine.Statistics.UnprotectedDropped);
        Assert.Equal(UnprotectedMessageReason.NotVerified, Assert.Single(link.A.Of<UnprotectedMessageDropped>()).Reason);
    }

    private static EngineLink Established(out IkeSa sa)
    {
        var link = new EngineLink();
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(Settle);
        sa = link.A.Engine.Tunnels.Single().Current!;
        Assert.Equal(IkeSaState.Established, sa.State);
        Assert.Single(sa.Children);
        link.A.Events.Clear();
        return link;
    }

    /// <summary>A plaintext message to A that looks like B's: A's SA's SPIs, from B's endpoint to A's.</summary>
    private static void InjectFromB(EngineLink link, IkeSa sa, ExchangeType exchange, IkeFlags flags, uint messageId, IReadOnlyList<IkePayload> payloads)
    {
        var header = new IkeHeader(sa.InitiatorSpi, sa.ResponderSpi, PayloadType.None, exchange, flags, messageId, 0);
        link.A.Engine.ReceiveDatagram(sa.Local, sa.Remote, IkeMessageCodec.Encode(header, payloads));
    }

    private static Func<int> CountDatagramsTo(EngineLink link, SharpSwan.Testing.EngineNetwork.Node node)
    {
        var count = 0;
        link.Drop = to =>
        {
            if (to == node)
            {
                count++;
            }

            return false;
        };
        return () => count;
    }
}
