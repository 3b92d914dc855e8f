using System.Buffers.Binary;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.V1.Keys;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// IKEv1 informational exchanges after phase 1 (RFC 2409 §5.7): always encrypted and led by HASH(1), one message, no
/// answer. We send DELETE of IPsec and ISAKMP SAs and answer R-U-THERE (RFC 3706) with R-U-THERE-ACK; the peer's DELETEs
/// take the SAs out of our state and the data plane.
/// </summary>
internal sealed class IsakmpInformational(IIsakmpContext context)
{
    /// <summary>Our DELETE of a child SA: IKEv1 expects no answer, so the child goes as soon as it is sent.</summary>
    public void SendDelete(IkeSa sa, DeleteChildJob job)
    {
        Send(sa, [new DeletePayload(QuickModeKeys.ProtocolEsp, 4, [EspTransforms.Spi(job.Child.InboundSpi)])], "informational DELETE");
        context.RemoveChild(sa, job.Child, job.Reason);
    }

    /// <summary>A DELETE of the ISAKMP SA itself (best effort, before it is dropped).</summary>
    public void SendIsakmpDelete(IkeSa sa)
    {
        if (sa.V1 is { Step: 6 })
        {
            Send(sa, [new DeletePayload(IsakmpProposal.ProtocolIsakmp, 16, [IsakmpProtection.Cookies(sa)])], "informational ISAKMP DELETE");
        }
    }

    public void Handle(IkeSa sa, IsakmpParseResult outer)
    {
        var v1 = sa.V1!;
        uint id = outer.Header!.Value.MessageId;
        var parsed = IsakmpProtection.Open(v1, outer, IsakmpCipher.PhaseTwoIv(v1.Hash, v1.PhaseOneIv, id), out _);
        var keys = v1.Keys!;
        if (parsed.Message is not { } message || !IsakmpProtection.HashMatches(message, QuickModeHashes.First(keys.Prf, keys.SkeyidA, id, message.AfterFirstPayload.Span)))
        {
            context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "informational: dropped, HASH(1) failed");
            context.Publish(sa, new MalformedMessageDropped { Error = SharpSwan.Ike.Wire.IkeParseError.IntegrityCheckFailed, IsResponse = false });
            return;
        }

        foreach (var notify in message.All<NotificationPayload>().Where(n => n.MessageType == IsakmpProtection.NotifyRuThere))
        {
            Send(sa, [notify with { MessageType = IsakmpProtection.NotifyRuThereAck }], "R-U-THERE-ACK");
        }

        foreach (var ack in message.All<NotificationPayload>().Where(n => n.MessageType == IsakmpProtection.NotifyRuThereAck))
        {
            context.DpdAcknowledged(sa, ack);
        }

        foreach (var delete in message.All<DeletePayload>())
        {
            if (delete.ProtocolId == IsakmpProposal.ProtocolIsakmp)
            {
                context.Log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, $"peer deleted ISAKMP SA {sa.SpiText}");
                context.RemoveIkeSa(sa, "deleted by peer");
                return;
            }

            if (delete.ProtocolId == QuickModeKeys.ProtocolEsp && delete.SpiSize == 4)
            {
                DeleteChildren(sa, delete);
            }
        }
    }

    private void DeleteChildren(IkeSa sa, DeletePayload delete)
    {
        foreach (var spi in delete.Spis.Select(s => BinaryPrimitives.ReadUInt32BigEndian(s)))
        {
            if (context.CarrierOf(sa).Children.FirstOrDefault(c => c.OutboundSpi == spi) is { } child)
            {
                context.Log.Child(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, child.Phase2Name, child.Serial, $"peer deleted IPsec SA: SPIs={child.InboundSpi:x8}/{child.OutboundSpi:x8}");
                context.RemoveChild(sa, child, "deleted by peer", byPeer: true);
            }
        }
    }

    private void Send(IkeSa sa, IReadOnlyList<IsakmpPayload> payloads, string label) => context.SendIsakmp(sa, Seal(sa, payloads), label);

    /// <summary>A new informational message (fresh message ID, HASH(1)) carrying the payloads, encrypted and ready to send.</summary>
    public byte[] Seal(IkeSa sa, IReadOnlyList<IsakmpPayload> payloads)
    {
        var v1 = sa.V1!;
        var keys = v1.Keys!;
        uint id = IsakmpProtection.NewMessageId(v1, context.Random);
        var chain = IsakmpProtection.ChainWithHash(payloads, rest => QuickModeHashes.First(keys.Prf, keys.SkeyidA, id, rest), keys.Prf.OutputSize);
        var iv = IsakmpCipher.PhaseTwoIv(v1.Hash, v1.PhaseOneIv, id);
        v1.Finished.Add(id);
        return IsakmpProtection.Seal(v1, IsakmpProtection.Header(sa, IsakmpExchangeType.Informational, id), IsakmpPayloadType.Hash, chain, iv);
    }
}
