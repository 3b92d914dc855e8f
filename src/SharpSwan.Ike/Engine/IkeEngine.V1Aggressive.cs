using SharpSwan.Config;
using SharpSwan.Ike.V1.Exchanges;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>IKEv1 aggressive mode under the SA manager: which phase 1 exchange starts an ISAKMP SA, and its messages' dispatch.</summary>
public sealed partial class IkeEngine
{
    private AggressiveModeInitiator? _aggressiveModeInitiator;
    private AggressiveModeResponder? _aggressiveModeResponder;

    private AggressiveModeInitiator AggressiveI => _aggressiveModeInitiator ??= new AggressiveModeInitiator(this);

    private AggressiveModeResponder AggressiveR => _aggressiveModeResponder ??= new AggressiveModeResponder(this);

    /// <summary>Phase 1 as the tunnel's `mode` says: main mode (the FortiOS default) or aggressive mode.</summary>
    private void StartPhaseOne(IkeSa sa)
    {
        if (sa.Tunnel.Settings.Mode == Ikev1Mode.Aggressive)
        {
            AggressiveI.Start(sa);
        }
        else
        {
            MainModeI.Start(sa);
        }
    }

    /// <summary>Message 2 for our aggressive mode (a repeat was answered from the cache before this), or message 3 of the peer's.</summary>
    private void ReceiveAggressive(IkeSa sa, IsakmpSaState v1, IsakmpParseResult outer, byte[] bytes, PendingRequest? pending)
    {
        if (!sa.IsOriginalInitiator)
        {
            // Message 3 ends the resending of our message 2.
            if (pending is { Request: MainModeRequest { Step: 2 } })
            {
                sa.Window.Outstanding = null;
            }

            AggressiveR.HandleThird(sa, outer);
        }
        else if (pending is { Request: MainModeRequest { Step: 1 } } && v1.Step == 1 && outer.Message?.Find<SecurityAssociationPayload>() is not null)
        {
            // Message 1 stays outstanding while the key exchange with message 2 is computed (CompleteSecond ends it).
            AggressiveI.HandleSecond(sa, outer, bytes);
        }
    }

    /// <summary>RFC 2409 lets aggressive mode's 3rd message travel in clear (HASH_I authenticates it); the only such exception.</summary>
    private static bool AggressiveThirdInClear(IkeSa sa, IsakmpHeader header) =>
        header.Exchange == IsakmpExchangeType.Aggressive && !sa.IsOriginalInitiator && sa.V1 is { Step: 2 };
}
