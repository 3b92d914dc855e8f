using System.Net;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.V1.Exchanges;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// IKEv1 dial-up remote access after main mode: XAUTH (the SA is established only once the user passed) and mode-config
/// addresses from the phase 1's pool, leased once per instance and returned when the instance goes. The client chooses
/// pull or push: FortiOS documents no setting for it, so a client that sends its REQUEST within
/// <see cref="ModeConfigPushWait"/> of phase 1 (and XAUTH) being done is answered (pull: strongSwan's default, Cisco and
/// FortiClient), and one that asks nothing by then gets our SET (push: strongSwan's <c>pull = no</c>), which it ACKs.
/// SharpSwan as the client (<c>mode-cfg enable</c> on a static IKEv1 phase 1) waits for that SET.
/// </summary>
public sealed partial class IkeEngine
{
    /// <summary>
    /// How long the server waits for the client's REQUEST before it pushes: a pulling client sends it right after its
    /// XAUTH ACK (or phase 1), so two seconds leave room for a busy host and cost a pushed client little.
    /// </summary>
    internal static readonly TimeSpan ModeConfigPushWait = TimeSpan.FromSeconds(2);

    private TransactionExchange? _transaction;

    private TransactionExchange Transaction => _transaction ??= new TransactionExchange(this);

    void IIsakmpContext.StartXauth(IkeSa sa, bool initialContact)
    {
        sa.V1!.InitialContact = initialContact;
        Transaction.StartXauth(sa);
    }

    void IIsakmpContext.AwaitXauth(IkeSa sa)
    {
        sa.V1!.XauthPending = true;
        sa.DeleteBy = Now + TimeSpan.FromSeconds(sa.Tunnel.Settings.NegotiateTimeoutSeconds);
        _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "waiting for the peer's XAUTH request");
    }

    void IIsakmpContext.XauthAccepted(IkeSa sa)
    {
        if (((IIsakmpContext)this).HoldForModeConfig(sa))
        {
            return;
        }

        MarkEstablished(sa, sa.V1!.InitialContact);
        RequestWantedPhase2(sa, skipUsable: !sa.IsOriginalInitiator);
    }

    void IIsakmpContext.XauthRefused(IkeSa sa)
    {
        // Not yet established, so DeleteIkeSa would not tell the peer: the ISAKMP DELETE goes out here.
        IsakmpInfo.SendIsakmpDelete(sa);
        RemoveIkeSa(sa, "XAUTH authentication failed");
    }

    IReadOnlyList<DataAttribute> IIsakmpContext.ModeConfigReply(IkeSa sa, bool wantsAddress)
    {
        var tunnel = sa.Tunnel;
        if (!tunnel.Settings.ModeCfg || tunnel.Template is not { } template)
        {
            _log.Sa(IkeLogLevel.Negotiation, tunnel.Name, sa.Serial, "mode-cfg request answered empty: mode-cfg is disabled on this phase1");
            return [];
        }

        var values = ModeCfgValues(template, wantsAddress && tunnel.AssignedAddress is null, sa.PeerIdentity, out var leased);
        if (values is null)
        {
            _log.Sa(IkeLogLevel.Event, tunnel.Name, sa.Serial, $"mode-cfg: no address left in pool {tunnel.Settings.Ipv4StartIp}-{tunnel.Settings.Ipv4EndIp} for peer {sa.Remote} id {sa.PeerIdentity}");
            Publish(sa, new PeerRefused { Reason = $"mode-cfg: no address left in pool {tunnel.Settings.Ipv4StartIp}-{tunnel.Settings.Ipv4EndIp}", PeerIdentity = sa.PeerIdentity });
            return [];
        }

        if (leased is not null)
        {
            tunnel.AssignedAddress = leased;
            _log.Tunnel(IkeLogLevel.Event, tunnel.Name, $"mode-cfg: assigned {leased} to peer {sa.Remote} id {sa.PeerIdentity}");
            Publish(sa, new AddressAssigned { Address = leased, ToPeer = true, PeerIdentity = sa.PeerIdentity, DnsServers = DnsServersIn(values.Select(v => (v.Type, (byte[]?)v.Value))) });
        }
        else if (wantsAddress && tunnel.AssignedAddress is { } held && tunnel.Settings.AssignIp)
        {
            // A repeated pull (after a phase-1 renewal) gets the address the instance already holds.
            values.InsertRange(0, [((ushort)ModeConfigAttributeType.InternalIp4Address, held.GetAddressBytes()), ((ushort)ModeConfigAttributeType.InternalIp4Netmask, tunnel.Settings.Ipv4Netmask.GetAddressBytes())]);
        }

        return [.. values.Select(v => DataAttribute.Variable(v.Type, v.Value))];
    }

    bool IIsakmpContext.HoldForModeConfig(IkeSa sa)
    {
        if (!sa.Tunnel.Settings.ModeCfg || sa.Tunnel.IsDialupInstance || sa.Tunnel.IsDialupTemplate)
        {
            return false;
        }

        sa.V1!.ModeConfigPending = true;
        sa.DeleteBy = Now + TimeSpan.FromSeconds(sa.Tunnel.Settings.NegotiateTimeoutSeconds);
        _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "waiting for the peer's mode-cfg set");
        return true;
    }

    void IIsakmpContext.ModeConfigReceived(IkeSa sa, AttributePayload set)
    {
        var tunnel = sa.Tunnel;
        var assigned = new IPAddress(set.Find(ModeConfigAttributeType.InternalIp4Address)!.VariableValue!);
        _log.Sa(IkeLogLevel.Event, tunnel.Name, sa.Serial, $"mode-cfg: server assigned {assigned}");
        if (!assigned.Equals(tunnel.AssignedAddress))
        {
            if (tunnel.AssignedAddress is { } previous)
            {
                _host.AssignedAddressChanged(tunnel.Name, null);
                Publish(sa, new AddressReleased { Address = previous, ToPeer = false });
            }

            tunnel.AssignedAddress = assigned;
            _host.AssignedAddressChanged(tunnel.Name, assigned);
        }

        Publish(sa, new AddressAssigned { Address = assigned, ToPeer = false, PeerIdentity = sa.PeerIdentity, DnsServers = DnsServersIn(set.Attributes.Select(a => (a.Type, a.VariableValue))) });
        if (sa.V1!.ModeConfigPending)
        {
            // The address was what phase 1 waited for: now the SA is up and quick mode can propose it.
            sa.V1.ModeConfigPending = false;
            MarkEstablished(sa, initialContact: false);
            RequestWantedPhase2(sa, skipUsable: false);
        }
    }

    /// <summary>When the server pushes the client's address: the wait after phase 1 (and XAUTH) ran out with no REQUEST and no quick mode.</summary>
    private static DateTimeOffset? ModeConfigPushDue(IkeSa sa) =>
        sa is { State: IkeSaState.Established, EstablishedAt: { } at, V1: { ModeConfigSettled: false, XauthPending: false } v1 } &&
        sa.Tunnel is { IsDialupInstance: true, Settings.ModeCfg: true } && sa.MaySendRequest && sa.Children.Count == 0 && v1.QuickModes.Count == 0
            ? at + ModeConfigPushWait
            : null;

    private void CheckModeConfigPush(IkeSa sa, DateTimeOffset now)
    {
        if (ModeConfigPushDue(sa) is { } due && now >= due)
        {
            Transaction.PushModeConfig(sa);
        }
    }
}
