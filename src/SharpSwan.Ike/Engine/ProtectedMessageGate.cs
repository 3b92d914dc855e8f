using SharpSwan.Ike.Events;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// The one check every message for an IKE SA passes after IKE_SA_INIT, before anything reads it (RFC 7296 §3.14, issue 11):
/// SK (or SKF, for one fragment of a message: RFC 7383) must be its first outer payload and verify with the SA's keys. A
/// message that fails is counted and reported, and never answered: not even a retransmitted response, since a repeat must
/// prove itself too. IKE_SA_INIT (with its retransmit, COOKIE and INVALID_KE paths) never reaches the gate.
/// </summary>
internal sealed class ProtectedMessageGate
{
    public IkeStatistics Statistics { get; } = new();

    /// <summary>
    /// Decodes <paramref name="datagram"/> with <paramref name="sa"/>'s keys. True with the result when SK verified (the
    /// result may still be a failure found inside the verified plaintext); false with the event to publish otherwise.
    /// </summary>
    public bool TryAdmit(IkeSa sa, ReadOnlySpan<byte> datagram, IkeHeader header, out IkeParseResult parsed, out UnprotectedMessageDropped? refusal)
    {
        parsed = default;
        UnprotectedMessageReason reason;
        if (header.NextPayload != PayloadType.Encrypted)
        {
            reason = UnprotectedMessageReason.NotEncrypted;
        }
        else if (sa.Inbound is null)
        {
            reason = UnprotectedMessageReason.NoKeys;
        }
        else
        {
            parsed = IkeMessageCodec.Decode(datagram, sa.Inbound);
            if (parsed.Verified)
            {
                refusal = null;
                return true;
            }

            reason = UnprotectedMessageReason.NotVerified;
        }

        refusal = Refuse(sa, header, reason);
        return false;
    }

    /// <summary>
    /// The same check for one RFC 7383 fragment (SKF first and only payload): true with the fragment when its integrity
    /// check passed (it may still be malformed inside), false with the event to publish otherwise. Nothing of a fragment
    /// that fails here is kept.
    /// </summary>
    public bool TryAdmitFragment(IkeSa sa, ReadOnlySpan<byte> datagram, IkeHeader header, out IkeFragment? fragment, out UnprotectedMessageDropped? refusal)
    {
        fragment = null;
        if (sa.Inbound is null)
        {
            refusal = Refuse(sa, header, UnprotectedMessageReason.NoKeys);
            return false;
        }

        fragment = IkeFragmentCodec.Decode(datagram, sa.Inbound);
        if (fragment.Verified)
        {
            refusal = null;
            return true;
        }

        refusal = Refuse(sa, header, UnprotectedMessageReason.NotVerified);
        return false;
    }

    private UnprotectedMessageDropped Refuse(IkeSa sa, IkeHeader header, UnprotectedMessageReason reason)
    {
        Count(sa, reason);
        return new UnprotectedMessageDropped
        {
            InitiatorSpi = header.InitiatorSpi,
            ResponderSpi = header.ResponderSpi,
            Exchange = header.Exchange,
            MessageId = header.MessageId,
            IsResponse = header.IsResponse,
            Reason = reason,
        };
    }

    private void Count(IkeSa sa, UnprotectedMessageReason reason)
    {
        if (reason == UnprotectedMessageReason.NotVerified)
        {
            Statistics.IntegrityFailed++;
        }
        else
        {
            Statistics.UnprotectedDropped++;
        }

        sa.Tunnel.UnprotectedDrops++;
    }
}
