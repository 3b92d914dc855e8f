using System.Buffers.Binary;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// INFORMATIONAL exchanges: our DELETE of a child SA (request, answer, timeout) and the peer's requests (DELETE of child
/// SAs or of the IKE SA, and empty liveness checks). Removing the SAs is the SA manager's part.
/// </summary>
internal sealed class InformationalExchange(IExchangeContext context)
{
    /// <summary>Sends the DELETE a <see cref="DeleteChildJob"/> asks for; the child goes when the peer answers.</summary>
    public void SendDelete(IkeSa sa, DeleteChildJob job) =>
        context.SendRequest(
            sa,
            ExchangeType.Informational,
            [new DeletePayload(ProtocolId.Esp, [WireText.SpiBytes(job.Child.InboundSpi)])],
            "INFORMATIONAL delete",
            new DeleteChildRequest(job.Child, job.Reason));

    /// <summary>The peer answered our DELETE: the child SA goes now.</summary>
    public void Answered(IkeSa sa, DeleteChildRequest request) => context.RemoveChild(sa, request.Child, request.Reason);

    /// <summary>Our DELETE went unanswered: the peer is gone, and the IKE SA with it.</summary>
    public void TimedOut(IkeSa sa) => context.FailIkeSa(sa, "peer not responding to DELETE");

    /// <summary>Answers the peer's INFORMATIONAL: a DELETE of the IKE SA, of child SAs, or nothing (a liveness check).</summary>
    public void HandleRequest(IkeSa sa, IkeMessage message)
    {
        var request = message.Header;
        var deletes = message.FindAll<DeletePayload>().ToList();
        if (deletes.Any(d => d.Protocol == ProtocolId.Ike))
        {
            PeerDeletedIkeSa(sa, request);
            return;
        }

        var answer = new List<byte[]>();
        foreach (var spiBytes in deletes.Where(d => d.Protocol == ProtocolId.Esp).SelectMany(d => d.Spis))
        {
            if (spiBytes.Length != 4)
            {
                continue;
            }

            var spi = BinaryPrimitives.ReadUInt32BigEndian(spiBytes);
            var child = sa.Children.FirstOrDefault(c => c.OutboundSpi == spi);
            if (child is null)
            {
                continue;
            }

            if (child.State != ChildSaState.Deleting)
            {
                answer.Add(WireText.SpiBytes(child.InboundSpi));
            }

            context.Log.Child(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, child.Phase2Name, child.Serial, $"peer deleted IPsec SA: SPIs={child.InboundSpi:x8}/{child.OutboundSpi:x8}");
            context.RemoveChild(sa, child, "deleted by peer", byPeer: true);
        }

        context.Respond(sa, request, answer.Count == 0 ? [] : [new DeletePayload(ProtocolId.Esp, answer)]);
    }

    private void PeerDeletedIkeSa(IkeSa sa, IkeHeader request)
    {
        context.Log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, $"peer deleted IKE SA {sa.SpiText}");
        context.Respond(sa, request, []);
        if (sa.CollidingSuccessor is { State: IkeSaState.Established } theirs)
        {
            // RFC 7296 §2.8.2: in a rekey collision the peer deletes the old IKE SA only when its own new SA survived.
            // On a reordering network that DELETE can overtake its answer to our rekey: move to its SA, keep the children.
            sa.CollidingSuccessor = null;
            context.Adopt(sa, theirs);
            context.Log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, theirs.Serial, $"IKE rekey collision: the peer's {theirs.SpiText} won, IKE SA rekeyed by peer: {sa.SpiText} -> {theirs.SpiText}");
            context.Publish(theirs, new RekeyCollision { IkeSa = true });
            context.Publish(theirs, new IkeSaRekeyed { OldSpis = sa.SpiText, OldSerial = sa.Serial, NewSpis = theirs.SpiText, ByPeer = true });
            context.RemoveIkeSa(sa, "rekeyed");
            return;
        }

        context.RemoveIkeSa(sa, "deleted by peer");
    }
}
