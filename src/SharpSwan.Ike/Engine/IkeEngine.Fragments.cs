using System.Net;
using System.Net.Sockets;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// IKEv2 message fragmentation (RFC 7383), below the exchanges: a protected message too big for the phase 1's
/// <c>fragmentation-mtu</c> leaves as fragments, each sealed on its own, and a peer's fragments are verified one by one
/// before being kept, then reassembled into the message the exchanges see. Both only when both ends announced it.
/// </summary>
public sealed partial class IkeEngine
{
    private const int Ipv4HeaderLength = 20;
    private const int Ipv6HeaderLength = 40;
    private const int UdpHeaderLength = 8;
    private const int NonEspMarkerLength = 4;

    private readonly FragmentBudget _fragmentBudget = new(FragmentReassembly.MaxHeldBytes);

    /// <summary>Octets the peer's partial fragmented messages hold now, over every IKE SA.</summary>
    public long FragmentOctetsHeld => _fragmentBudget.Held;

    /// <summary>
    /// The datagrams of one protected message on <paramref name="sa"/>: the whole SK message when its IP datagram fits
    /// <c>fragmentation-mtu</c> (or fragmentation was not agreed), otherwise its fragments.
    /// </summary>
    private IReadOnlyList<byte[]> EncodeProtected(IkeSa sa, IkeHeader header, IReadOnlyList<IkePayload> payloads)
    {
        var whole = IkeMessageCodec.EncodeProtected(header, payloads, sa.Outbound!);
        int mtu = sa.Tunnel.Settings.FragmentationMtu;
        int overhead = DatagramOverhead(sa);
        if (!sa.FragmentationAgreed || whole.Length + overhead <= mtu)
        {
            return [whole];
        }

        var kind = header.IsResponse ? "response" : "request";
        if (IkeFragmentCodec.CountFragments(whole.Length, sa.Outbound!, mtu - overhead) > IkeFragmentCodec.MaxFragments)
        {
            // Only a message far beyond any certificate chain gets here; the peer would not reassemble it either.
            _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"{WireText.ExchangeName(header.Exchange)} {kind} of {whole.Length} bytes needs more than {IkeFragmentCodec.MaxFragments} fragments: sent whole");
            return [whole];
        }

        var fragments = IkeFragmentCodec.Encode(header, payloads, sa.Outbound!, mtu - overhead);
        _gate.Statistics.MessagesFragmented++;
        _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"{WireText.ExchangeName(header.Exchange)} {kind} of {whole.Length + overhead} bytes exceeds fragmentation-mtu {mtu}: sending {fragments.Count} fragments");
        Publish(sa, new IkeMessageFragmented
        {
            Exchange = header.Exchange,
            MessageId = header.MessageId,
            IsResponse = header.IsResponse,
            Fragments = fragments.Count,
            LargestDatagram = fragments.Max(f => f.Length) + overhead,
        });
        return fragments;
    }

    /// <summary>IP and UDP headers, and the non-ESP marker when IKE runs on the NAT-T port.</summary>
    private int DatagramOverhead(IkeSa sa)
    {
        int ip = sa.Remote.AddressFamily == AddressFamily.InterNetworkV6 ? Ipv6HeaderLength : Ipv4HeaderLength;
        bool marker = sa.Local.Port == _options.NatTraversalPort || sa.Remote.Port == _options.NatTraversalPort;
        return ip + UdpHeaderLength + (marker ? NonEspMarkerLength : 0);
    }

    /// <summary>One fragment of a peer's message: verified or dropped, kept, and when it completes its message, handled.</summary>
    private void ReceiveFragment(IkeSa sa, IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> datagram, IkeHeader header)
    {
        if (!_gate.TryAdmitFragment(sa, datagram, header, out var fragment, out var refusal))
        {
            _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"dropped unverified fragment of {header.Exchange} id {header.MessageId} from {remote}: {refusal!.Reason}");
            Publish(sa, refusal! with { Local = local, Remote = remote });
            DropFragment(sa, header, fragment, IkeFragmentDropReason.NotVerified);
            return;
        }

        if (!sa.FragmentationAgreed || !fragment!.Success)
        {
            DropFragment(sa, header, fragment, sa.FragmentationAgreed ? IkeFragmentDropReason.Malformed : IkeFragmentDropReason.NotNegotiated);
            return;
        }

        if (!header.IsResponse && sa.Window.ResponseToRepeat(header.MessageId) is { } repeat)
        {
            RepeatForFragment(sa, header, fragment, repeat);
            return;
        }

        bool expected = header.IsResponse ? sa.Window.Answered(header.MessageId) is not null : header.MessageId == sa.NextExpectedRequestId;
        if (!expected)
        {
            DropFragment(sa, header, fragment, IkeFragmentDropReason.Unexpected);
            return;
        }

        sa.Reassembly ??= new FragmentReassembly(_fragmentBudget);
        var added = sa.Reassembly.Add(fragment, header.IsResponse, Now);
        if (added.StaleMessageId is { } stale)
        {
            DropFragment(sa, header with { MessageId = stale }, null, IkeFragmentDropReason.Stale);
        }

        if (added.Reason is { } reason)
        {
            DropFragment(sa, header, fragment, reason);
            return;
        }

        if (added.Message is { } inner)
        {
            Reassembled(sa, local, remote, header, added, inner);
        }
    }

    private void Reassembled(IkeSa sa, IPEndPoint local, IPEndPoint remote, IkeHeader header, FragmentAdded added, byte[] inner)
    {
        _gate.Statistics.MessagesReassembled++;
        var kind = header.IsResponse ? "response" : "request";
        _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"reassembled {WireText.ExchangeName(header.Exchange)} {kind} id {header.MessageId} from {added.Fragments} fragments");
        Publish(sa, new IkeMessageReassembled { Exchange = header.Exchange, MessageId = header.MessageId, IsResponse = header.IsResponse, Fragments = added.Fragments });
        var message = header with { NextPayload = PayloadType.Encrypted, Length = (uint)(IkeHeader.Size + inner.Length) };
        var parsed = IkeMessageCodec.DecodeReassembled(message, added.First, inner);
        if (header.IsResponse)
        {
            ReceiveProtectedResponse(sa, local, remote, parsed, message);
        }
        else
        {
            ReceiveProtectedRequest(sa, local, remote, parsed, message);
        }
    }

    /// <summary>
    /// A fragment of a request we already answered: the peer did not get our answer. Resend it once per retransmission,
    /// on its first fragment only (RFC 7383 §2.6.1), so a burst of fragments does not multiply our answer.
    /// </summary>
    private void RepeatForFragment(IkeSa sa, IkeHeader header, IkeFragment fragment, IReadOnlyList<byte[]> repeat)
    {
        if (fragment.Number != 1)
        {
            return;
        }

        _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"retransmitting response to duplicate fragmented request id {header.MessageId}");
        Publish(sa, new ResponseRetransmitted { MessageId = header.MessageId, SaInit = false });
        foreach (var datagram in repeat)
        {
            _host.SendIke(sa.Local, sa.Remote, datagram);
        }
    }

    private void DropFragment(IkeSa sa, IkeHeader header, IkeFragment? fragment, IkeFragmentDropReason reason)
    {
        _gate.Statistics.FragmentsDropped++;
        if (reason != IkeFragmentDropReason.NotVerified)
        {
            var detail = fragment is { Success: false } ? $": {fragment.Detail}" : string.Empty;
            var kind = header.IsResponse ? "response" : "request";
            _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"dropped fragment {fragment?.Number}/{fragment?.Total} of {kind} id {header.MessageId}: {reason}{detail}");
        }

        Publish(sa, new IkeFragmentDropped
        {
            MessageId = header.MessageId,
            IsResponse = header.IsResponse,
            Reason = reason,
            Number = fragment?.Number ?? 0,
            Total = fragment?.Total ?? 0,
        });
    }

    /// <summary>Partial messages that waited too long for their other fragments give their memory back.</summary>
    private void DiscardStaleFragments(IkeSa sa, DateTimeOffset now)
    {
        if (sa.Reassembly is not { IsEmpty: false } reassembly)
        {
            return;
        }

        foreach (var (messageId, isResponse) in reassembly.DiscardStale(now))
        {
            var header = new IkeHeader(sa.InitiatorSpi, sa.ResponderSpi, PayloadType.EncryptedFragment, ExchangeType.Informational, isResponse ? IkeFlags.Response : IkeFlags.None, messageId, 0);
            DropFragment(sa, header, null, IkeFragmentDropReason.Stale);
        }
    }
}
