using System.Globalization;
using System.Text;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// `diagnose sys session list` in FortiOS's shape, from what the kernel's connection tracking knows: protocol and its state,
/// seconds to expiry, the tunnel an ipsec policy sent the session to (its mark), the policy that admitted it (its labels),
/// the counters when the kernel keeps them, the hooks' NAT actions, and the entry's id as the serial. What the kernel does
/// not record (interfaces, shapers) is left out rather than shown with a made-up value; so is the policy of a session no
/// policy decided (to or from this gateway).
/// </summary>
public static class SessionReport
{
    /// <param name="tunnelOfMark">The phase 1 whose ipsec policy set a mark, or null.</param>
    public static string Render(IReadOnlyList<ConnectionEntry> sessions, Func<uint, string?> tunnelOfMark)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(tunnelOfMark);
        var text = new StringBuilder();
        foreach (var session in sessions)
        {
            text.Append(CultureInfo.InvariantCulture, $"session info: proto={session.Protocol} proto_state={ProtocolState(session):00}");
            if (session.ExpiresInSeconds is { } expire)
            {
                text.Append(CultureInfo.InvariantCulture, $" expire={expire}");
            }

            text.Append('\n');
            if (session.Mark != 0 && tunnelOfMark(session.Mark) is { } tunnel)
            {
                text.Append(CultureInfo.InvariantCulture, $"tunnel={tunnel}/\n");
            }

            if (session.OriginalCounters is { } org && session.ReplyCounters is { } reply)
            {
                text.Append(CultureInfo.InvariantCulture, $"statistic(bytes/packets): org={org.Bytes}/{org.Packets} reply={reply.Bytes}/{reply.Packets}\n");
            }

            Hooks(text, session);
            var policy = session.PolicyId is { } id ? string.Create(CultureInfo.InvariantCulture, $" policy_id={id}") : "";
            text.Append(CultureInfo.InvariantCulture, $"misc=0{policy} vd=0\nserial={session.Id:x8}\n\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"total session {sessions.Count}\n");
        return text.ToString();
    }

    /// <summary>
    /// `diagnose sys session stat`: how many sessions there are, and the TCP ones by state. FortiOS's other counters
    /// (setup rate, clashes, memory-tension drops...) are not shown: the kernel's table does not keep them as such.
    /// </summary>
    public static string RenderStatistics(IReadOnlyList<ConnectionEntry> sessions)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"misc info:       session_count={sessions.Count}\nTCP sessions:\n");
        foreach (var (state, count) in sessions.Where(s => s.Protocol == 6)
            .GroupBy(s => s.TcpState ?? 0)
            .OrderBy(g => g.Key)
            .Select(g => (g.Key, g.Count())))
        {
            text.Append(CultureInfo.InvariantCulture, $"         {count} in {TcpStateName(state)} state\n");
        }

        return text.ToString();
    }

    /// <summary>The kernel's TCP_CONNTRACK_* names.</summary>
    private static string TcpStateName(byte state) => state switch
    {
        1 => "SYN_SENT",
        2 => "SYN_RECV",
        3 => "ESTABLISHED",
        4 => "FIN_WAIT",
        5 => "CLOSE_WAIT",
        6 => "LAST_ACK",
        7 => "TIME_WAIT",
        8 => "CLOSE",
        9 => "SYN_SENT2",
        _ => "NONE",
    };

    /// <summary>FortiOS's proto_state: TCP's state (01 established, 02 SYN sent, ...), UDP 01 once answered, else 00.</summary>
    private static int ProtocolState(ConnectionEntry session) => session.Protocol switch
    {
        // The kernel's TCP_CONNTRACK_* (none, syn_sent, syn_recv, established, fin_wait, close_wait, last_ack, time_wait,
        // close, syn_sent2) in FortiOS's numbering.
        6 => session.TcpState switch
        {
            1 or 9 => 2,
            2 => 3,
            3 => 1,
            4 => 4,
            5 => 7,
            6 => 8,
            7 => 5,
            8 => 6,
            _ => 0,
        },
        17 => session.SeenReply ? 1 : 0,
        _ => 0,
    };

    private static void Hooks(StringBuilder text, ConnectionEntry session)
    {
        var (sourcePort, destinationPort) = session.Icmp is { } icmp ? (icmp.Identifier, (ushort)icmp.Type) : (session.SourcePort, session.DestinationPort);
        var (replySourcePort, replyDestinationPort) = session.Icmp is not null ? (destinationPort, sourcePort) : (session.ReplySourcePort, session.ReplyDestinationPort);
        var original = $"{Ipv4Range.Text(session.Source)}:{sourcePort}->{Ipv4Range.Text(session.Destination)}:{destinationPort}";
        var sourceNat = session.ReplyDestination != session.Source || (session.Icmp is null && replyDestinationPort != sourcePort);
        var destinationNat = session.ReplySource != session.Destination || (session.Icmp is null && replySourcePort != destinationPort);
        if (!sourceNat && !destinationNat)
        {
            text.Append(CultureInfo.InvariantCulture, $"hook=pre dir=org act=noop {original}(0.0.0.0:0)\n");
            text.Append(CultureInfo.InvariantCulture, $"hook=post dir=reply act=noop {Ipv4Range.Text(session.Destination)}:{destinationPort}->{Ipv4Range.Text(session.Source)}:{sourcePort}(0.0.0.0:0)\n");
            return;
        }

        var translated = $"{Ipv4Range.Text(session.ReplyDestination)}:{replyDestinationPort}";
        var real = $"{Ipv4Range.Text(session.ReplySource)}:{replySourcePort}";
        if (destinationNat)
        {
            text.Append(CultureInfo.InvariantCulture, $"hook=pre dir=org act=dnat {original}({real})\n");
        }

        if (sourceNat)
        {
            text.Append(CultureInfo.InvariantCulture, $"hook=post dir=org act=snat {original}({translated})\n");
            text.Append(CultureInfo.InvariantCulture, $"hook=pre dir=reply act=dnat {real}->{translated}({Ipv4Range.Text(session.Source)}:{sourcePort})\n");
        }

        if (destinationNat)
        {
            text.Append(CultureInfo.InvariantCulture, $"hook=post dir=reply act=snat {real}->{Ipv4Range.Text(session.Source)}:{sourcePort}({Ipv4Range.Text(session.Destination)}:{destinationPort})\n");
        }
    }
}
