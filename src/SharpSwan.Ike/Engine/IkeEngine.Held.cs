using System.Net;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// Datagrams that come for an IKE SA while it waits for its public-key work (<see cref="IkeSa.Computing"/>) are held
/// (<see cref="HeldDatagrams"/>) and taken through <see cref="ReceiveDatagram"/>, in arrival order, right after the work
/// is back: an answer to our outstanding request, or the peer's DELETE, liveness check or CREATE_CHILD_SA, no longer waits
/// for the peer to retransmit it. They go through every check a fresh datagram does (integrity, message window, the
/// response cache), so a repeated request is answered from the cache and starts nothing twice. A host that computes
/// inline (the seeded simulation) never leaves an SA computing when a datagram comes, so nothing is held there.
/// </summary>
public sealed partial class IkeEngine
{
    /// <summary>Keeps a datagram for <paramref name="sa"/> until its computation is back; dropped when the SA holds enough.</summary>
    private void Hold(IkeSa sa, IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> datagram, IkeHeader header)
    {
        sa.Held ??= new HeldDatagrams();
        if (sa.Held.TryAdd(local, remote, datagram))
        {
            _log.Sa(IkeLogLevel.Packet, sa.Tunnel.Name, sa.Serial, $"holding message {header.MessageId:x8} from {remote} until public-key work is done ({sa.Held.Count} held)");
            return;
        }

        _log.Sa(IkeLogLevel.Packet, sa.Tunnel.Name, sa.Serial, $"dropped message {header.MessageId:x8} from {remote}: public-key work in progress and {sa.Held.Count} messages already held");
        PublishHeldDrop(sa, remote, header, HeldMessageDropReason.QueueFull);
        if (sa.Held.Count == 0)
        {
            // One datagram over the octet cap on its own: no empty queue is kept for it.
            sa.Held = null;
        }
    }

    /// <summary>
    /// After a computation's completion step: what the SA held goes through the receive path in order, for as long as
    /// the SA lives and computes nothing new (a held message may start the next computation; the rest then wait for it).
    /// </summary>
    private void ReplayHeld(IkeSa sa)
    {
        while (sa.Held is { } held && sa.Computing is null && sa.State != IkeSaState.Dead && held.TryTake(out var datagram))
        {
            if (held.Count == 0)
            {
                // Released before the last one is taken: should that start a computation, later arrivals start afresh.
                sa.Held = null;
            }

            ReceiveDatagram(datagram.Local, datagram.Remote, datagram.Bytes);
        }
    }

    /// <summary>The SA is being removed: nobody will take what it held.</summary>
    private void DropHeld(IkeSa sa)
    {
        if (sa.Held is not { } held)
        {
            return;
        }

        sa.Held = null;
        while (held.TryTake(out var datagram))
        {
            if (IkeHeader.TryRead(datagram.Bytes, out var header))
            {
                _log.Sa(IkeLogLevel.Packet, sa.Tunnel.Name, sa.Serial, $"dropped held message {header.MessageId:x8} from {datagram.Remote}: IKE SA gone");
                PublishHeldDrop(sa, datagram.Remote, header, HeldMessageDropReason.SaGone);
            }
        }
    }

    private void PublishHeldDrop(IkeSa sa, IPEndPoint remote, IkeHeader header, HeldMessageDropReason reason)
    {
        Statistics.HeldMessagesDropped++;
        Publish(sa, new HeldMessageDropped
        {
            Remote = remote,
            Version = header.MajorVersion,
            Exchange = (byte)header.Exchange,
            MessageId = header.MessageId,
            Reason = reason,
        });
    }
}
