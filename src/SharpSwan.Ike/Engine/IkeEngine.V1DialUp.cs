using System.Net;
using SharpSwan.Config;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.V1.Exchanges;
using V1Wire = SharpSwan.Ike.V1.Wire;
using V2Wire = SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// IKEv1 dial-up (`type dynamic`). Main mode with a pre-shared key must choose its key before the peer names itself, so the
/// one main-mode dynamic phase 1 on the address the peer reached answers it. Aggressive mode carries the peer's ID in its
/// first message, so several aggressive-mode dynamic phase 1s on one address are told apart by `peerid` (a match wins over a
/// phase 1 without one). Once phase 1 authenticated the peer, it gets its own instance (<c>name_N</c>) as an IKEv2 dial-up
/// peer does, and a peer that says INITIAL-CONTACT loses what it left.
/// </summary>
public sealed partial class IkeEngine
{
    TunnelRuntime IIsakmpContext.AdmitIkev1DialupPeer(IkeSa sa, string identity, bool initialContact)
    {
        var template = sa.Tunnel;
        if (initialContact)
        {
            RemoveStaleInstances(template, identity, sa);
        }

        return CreateInstance(template, identity);
    }

    TunnelRuntime? IIsakmpContext.FindIkev1Tunnel(IPAddress local, IPAddress remote, Ikev1Mode mode, V1Wire.IdentificationPayload? id, out bool idRefused)
    {
        idRefused = false;
        if (FindTunnelForPeer(local, remote, version: 1) is { IsDialupTemplate: false } configured)
        {
            return configured;
        }

        TunnelRuntime? open = null;
        TunnelRuntime? otherMode = null;
        var asV2 = id is null ? null : new V2Wire.IdentificationPayload(false, (V2Wire.IdType)id.IdType, id.Data);
        foreach (var candidate in ConfiguredIndex().Templates.Where(t => t.Settings.IkeVersion == 1))
        {
            candidate.LocalAddress ??= _options.LocalAddressResolver(candidate.Settings);
            if (candidate.LocalAddress is { } address && !address.Equals(local) && !address.Equals(IPAddress.Any))
            {
                continue;
            }

            if (candidate.Settings.Mode != mode)
            {
                otherMode ??= candidate;
            }
            else if (mode == Ikev1Mode.Main || !IkeIdentities.ChecksPeerId(candidate.Settings))
            {
                open ??= candidate;
            }
            else if (asV2 is not null && IkeIdentities.PeerAccepted(candidate.Settings, asV2, out _))
            {
                return candidate;
            }
            else
            {
                idRefused = true;
            }
        }

        // A phase 1 of the other mode is returned only so the caller can say why it does not answer.
        return open ?? (idRefused ? null : otherMode);
    }
}
