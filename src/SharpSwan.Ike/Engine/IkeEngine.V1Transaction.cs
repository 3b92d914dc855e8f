using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.V1.Exchanges;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// IKEv1 dial-up remote access after main mode: XAUTH (the SA is established only once the user passed) and mode-config
/// addresses from the phase 1's pool, leased once per instance and returned when the instance goes.
/// </summary>
public sealed partial class IkeEngine
{
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
        MarkEstablished(sa, sa.V1!.InitialContact);
        RequestWantedPhase2(sa, skipUsable: !sa.IsOriginalInitiator);
    }

    void IIsakmpContext.XauthRefused(IkeSa sa)
    {
        // Not yet established, so DeleteIkeSa would not tell the peer: the ISAKMP DELETE goes out here.
        IsakmpInfo.SendIsakmpDelete(sa);
        RemoveIkeSa(sa, "XAUTH authentication failed");
    }

    IReadOnlyList<DataAttribute> IIsakmpContext.ModeConfigReply(IkeSa sa, AttributePayload request)
    {
        var tunnel = sa.Tunnel;
        if (!tunnel.Settings.ModeCfg || tunnel.Template is not { } template)
        {
            _log.Sa(IkeLogLevel.Negotiation, tunnel.Name, sa.Serial, "mode-cfg request answered empty: mode-cfg is disabled on this phase1");
            return [];
        }

        bool wantsAddress = request.Find(ModeConfigAttributeType.InternalIp4Address) is not null;
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
            Publish(sa, new AddressAssigned { Address = leased, ToPeer = true, PeerIdentity = sa.PeerIdentity });
        }
        else if (wantsAddress && tunnel.AssignedAddress is { } held && tunnel.Settings.AssignIp)
        {
            // A repeated pull (after a phase-1 renewal) gets the address the instance already holds.
            values.InsertRange(0, [((ushort)ModeConfigAttributeType.InternalIp4Address, held.GetAddressBytes()), ((ushort)ModeConfigAttributeType.InternalIp4Netmask, tunnel.Settings.Ipv4Netmask.GetAddressBytes())]);
        }

        return [.. values.Select(v => DataAttribute.Variable(v.Type, v.Value))];
    }

}
