using SharpSwan.Ike.V1.Exchanges;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// IKEv1 dial-up (`type dynamic`, main mode with a pre-shared key): the peer's first message can only be matched by the
/// address it reached, so the one IKEv1 dynamic phase 1 there answers it; once main mode authenticated the peer, it gets
/// its own instance (<c>name_N</c>) as an IKEv2 dial-up peer does, and a peer that says INITIAL-CONTACT loses what it left.
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

        return CreateInstance(template);
    }
}
