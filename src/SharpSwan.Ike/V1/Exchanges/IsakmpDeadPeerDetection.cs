using System.Buffers.Binary;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// RFC 3706 dead peer detection for an ISAKMP SA: R-U-THERE notifications with a sequence number that grows with every
/// probe (a retry is a new message with the next number, never a byte-identical repeat), and the check that an
/// R-U-THERE-ACK answers one of the probes still outstanding. When to probe and when to give up is the phase 1's
/// `dpd`, `dpd-retryinterval` and `dpd-retrycount`, decided by the version-independent liveness code.
/// </summary>
internal sealed class IsakmpDeadPeerDetection(IIsakmpContext context, IsakmpInformational informational)
{
    /// <summary>The R-U-THERE to send now: the first of a new series of probes, or the next retry of the current one.</summary>
    public byte[] NextProbe(IkeSa sa, bool retry)
    {
        var v1 = sa.V1!;
        if (v1.DpdSequence == 0)
        {
            // RFC 3706 §5.5: start somewhere random, leaving room before the 32-bit number wraps.
            Span<byte> octets = stackalloc byte[4];
            context.Random.Fill(octets);
            v1.DpdSequence = (BinaryPrimitives.ReadUInt32BigEndian(octets) & 0x7FFFFFFF) | 1;
        }
        else
        {
            v1.DpdSequence++;
        }

        if (!retry)
        {
            v1.DpdFirstUnanswered = v1.DpdSequence;
        }

        var data = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(data, v1.DpdSequence);
        return informational.Seal(sa, [new NotificationPayload(IsakmpProposal.ProtocolIsakmp, IsakmpProtection.NotifyRuThere, IsakmpProtection.Cookies(sa), data)]);
    }

    /// <summary>Whether the ACK carries the sequence number of one of the probes of the current series.</summary>
    public static bool Answers(IsakmpSaState v1, NotificationPayload ack)
    {
        if (ack.Data.Length != 4 || v1.DpdSequence == 0)
        {
            return false;
        }

        uint sequence = BinaryPrimitives.ReadUInt32BigEndian(ack.Data);
        return unchecked(sequence - v1.DpdFirstUnanswered) <= unchecked(v1.DpdSequence - v1.DpdFirstUnanswered);
    }
}
