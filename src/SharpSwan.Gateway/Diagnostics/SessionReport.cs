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
    /// `get system session list`: one line per session, FortiOS's table (protocol, seconds to expiry, source, its NAT,
    /// destination, its NAT; <c>-</c> where there is none). ICMP shows its identifier as the source port and its type as
    /// the destination port, as FortiOS does.
    /// </summary>
    public static string RenderTable(IReadOnlyList<ConnectionEntry> sessions)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        var text = new StringBuilder();
        text.Append(TableRow("PROTO", "EXPIRE", "SOURCE", "SOURCE-NAT", "DESTINATION", "DESTINATION-NAT"));
        foreach (var session in sessions)
        {
            var (sourcePort, destinationPort, replySourcePort, replyDestinationPort) = Ports(session);
            var (sourceNat, destinationNat) = Translations(session, sourcePort, destinationPort, replySourcePort, replyDestinationPort);
            text.Append(TableRow(
                ProtocolName(session.Protocol),
                session.ExpiresInSeconds?.ToString(CultureInfo.InvariantCulture) ?? "-",
                $"{Ipv4Range.Text(session.Source)}:{sourcePort}",
                sourceNat ? $"{Ipv4Range.Text(session.ReplyDestination)}:{replyDestinationPort}" : "-",
                $"{Ipv4Range.Text(session.Destination)}:{destinationPort}",
                destinationNat ? $"{Ipv4Range.Text(session.ReplySource)}:{replySourcePort}" : "-"));
        }

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
    internal static int ProtocolState(ConnectionEntry session) => session.Protocol switch
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

    /// <summary>A protocol as FortiOS names it in the session table and the REST monitor: icmp, tcp, udp, else its number.</summary>
    public static string ProtocolName(byte protocol) =>
        protocol switch { 1 => "icmp", 6 => "tcp", 17 => "udp", _ => protocol.ToString(CultureInfo.InvariantCulture) };

    /// <summary>Whether a source NAT applied to <paramref name="session"/> (the `nsrc`/`nport` filters, `snaddr`).</summary>
    public static bool SourceTranslated(ConnectionEntry session)
    {
        var (source, destination, replySource, replyDestination) = Ports(session);
        return Translations(session, source, destination, replySource, replyDestination).Source;
    }

    /// <summary>The columns of a table row, padded as FortiOS pads them (a long value still gets one space after it).</summary>
    private static string TableRow(string protocol, string expire, string source, string sourceNat, string destination, string destinationNat) =>
        $"{Pad(protocol, 8)}{Pad(expire, 7)}{Pad(source, 17)}{Pad(sourceNat, 17)}{Pad(destination, 17)}{destinationNat}\n";

    private static string Pad(string value, int width) => value.Length < width ? value.PadRight(width) : value + " ";

    /// <summary>The ports each way as FortiOS shows them: ICMP's identifier and type in place of ports.</summary>
    public static (ushort Source, ushort Destination, ushort ReplySource, ushort ReplyDestination) Ports(ConnectionEntry session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var (sourcePort, destinationPort) = session.Icmp is { } icmp ? (icmp.Identifier, (ushort)icmp.Type) : (session.SourcePort, session.DestinationPort);
        var (replySourcePort, replyDestinationPort) = session.Icmp is not null ? (destinationPort, sourcePort) : (session.ReplySourcePort, session.ReplyDestinationPort);
        return (sourcePort, destinationPort, replySourcePort, replyDestinationPort);
    }

    /// <summary>Whether the source and the destination were translated: the reply direction is not the original reversed.</summary>
    public static (bool Source, bool Destination) Translations(
        ConnectionEntry session, ushort sourcePort, ushort destinationPort, ushort replySourcePort, ushort replyDestinationPort)
    {
        ArgumentNullException.ThrowIfNull(session);
        return (session.ReplyDestination != session.Source || (session.Icmp is null && replyDestinationPort != sourcePort),
                session.ReplySource != session.Destination || (session.Icmp is null && replySourcePort != destinationPort));
    }

    private static void Hooks(StringBuilder text, ConnectionEntry session)
    {
        var (sourcePort, destinationPort, replySourcePort, replyDestinationPort) = Ports(session);
        var original = $"{Ipv4Range.Text(session.Source)}:{sourcePort}->{Ipv4Range.Text(session.Destination)}:{destinationPort}";
        var (sourceNat, destinationNat) = Translations(session, sourcePort, destinationPort, replySourcePort, replyDestinationPort);
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
