using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.V1.Exchanges;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// Public-key work handed to the host (issue 14 item 7): an exchange step's Diffie-Hellman (our key pair, the shared
/// secret) and key derivation, or its signature made or checked (IKEv2's IKE_AUTH, IKEv1's phase-1 SIG)
/// (<see cref="EngineComputation"/>), may run on a worker thread while the engine thread goes on with other SAs. The SA
/// waits with <see cref="IkeSa.Computing"/> set, sending no request of its own and holding the datagrams that come for it
/// (<see cref="Hold"/>), until the result is taken back here, on the engine thread, and what it held is taken after it;
/// so its steps keep their order. It waits no longer than it would for an answer (<see cref="WaitDeadline"/>).
/// </summary>
public sealed partial class IkeEngine
{
    /// <summary>Computations handed to the host and not yet completed or found stale.</summary>
    public int ComputationsInFlight { get; private set; }

    /// <summary>
    /// A computation the host ran comes back (engine thread). Its SA goes on from where it waited; when the SA was removed
    /// meanwhile (negotiate-timeout, a clear, a reconfiguration, the engine stopping) the result is wiped and dropped.
    /// </summary>
    public void CompleteComputation(EngineComputation computation)
    {
        ArgumentNullException.ThrowIfNull(computation);
        if (!computation.HasRun)
        {
            throw new InvalidOperationException("a computation must run before it is completed");
        }

        ComputationsInFlight--;
        Touch(computation.Sa);
        Finish(computation);
    }

    /// <summary>
    /// The SA waits for <paramref name="computation"/>: handed to the host, or (the host declines, as a seeded simulation
    /// does) run here at once, so the engine does exactly what it did before there was a host to ask.
    /// </summary>
    private void StartComputation(EngineComputation computation)
    {
        computation.Sa.Computing = computation;
        computation.WaitDeadline = WaitDeadline(computation.Sa);
        if (_host.RunElsewhere(computation))
        {
            ComputationsInFlight++;
            return;
        }

        computation.Run();
        Finish(computation);
    }

    /// <summary>
    /// How long an SA waits for its public-key work: as long as it would wait for an answer. While it is set up, until its
    /// negotiate-timeout (the deadline its phase-1 requests have); once established, for as long as a request is
    /// retransmitted before we give up on it. A host that never gives the work back (a stuck or overloaded pool) so ends
    /// the wait as a silent peer would.
    /// </summary>
    private DateTimeOffset WaitDeadline(IkeSa sa) => sa.State is IkeSaState.Established or IkeSaState.Deleting
        ? Now + RetransmitSchedule.GiveUpAfter(_options.RetransmitTimeout, _options.RetransmitLimit)
        : sa.CreatedAt + TimeSpan.FromSeconds(sa.Tunnel.Settings.NegotiateTimeoutSeconds);

    /// <summary>
    /// When the SA stops waiting for its computation; null when none runs, or when the SA's removal (a half-open SA's
    /// negotiate-timeout, a retired SA's end) comes no later and ends the wait as it always did.
    /// </summary>
    private static DateTimeOffset? ComputationDeadline(IkeSa sa) =>
        sa.Computing is { } computation && !(sa.DeleteBy is { } deleteBy && deleteBy <= computation.WaitDeadline) ? computation.WaitDeadline : null;

    /// <summary>
    /// The SA's public-key work was not given back by its deadline: the SA fails with the events of an unanswered request
    /// (the request the work was for, or the exchange it belongs to), and the result, should it still come, is wiped.
    /// </summary>
    private void ComputationTimedOut(IkeSa sa, EngineComputation computation)
    {
        var label = WaitLabel(sa, computation);
        _log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, $"{label}: public-key work not done in time, giving up");
        Publish(sa, new ExchangeTimedOut { Exchange = label, Retransmits = 0 });
        sa.Computing = null;
        FailIkeSa(sa, $"{label}: public-key work not done in time");
    }

    /// <summary>The exchange a computation belongs to, as the log and the timeout event name it.</summary>
    private static string WaitLabel(IkeSa sa, EngineComputation computation) => computation switch
    {
        InitiatorSaInitKeyPairComputation => "SA_INIT",
        InitiatorChildKeyPairComputation { Job: var job } => job.RekeyOf is null ? $"CREATE_CHILD {job.Phase2.Name}" : $"CREATE_CHILD rekey {job.Phase2.Name}",
        InitiatorIkeRekeyKeyPairComputation => "CREATE_CHILD IKE rekey",
        MainModeInitiatorKeyPairComputation => "main mode 3rd message",
        AggressiveModeInitiatorKeyPairComputation => "aggressive mode 1st message",
        QuickModeInitiatorKeyPairComputation or QuickModeInitiatorComputation or QuickModeResponderComputation => "quick mode",
        _ when sa.V1 is not null => "phase 1",
        _ => sa.State switch
        {
            IkeSaState.InitSent => "SA_INIT",
            IkeSaState.InitResponded or IkeSaState.AuthSent => "AUTH",
            _ => "CREATE_CHILD",
        },
    };

    private void Finish(EngineComputation computation)
    {
        var sa = computation.Sa;
        if (sa.Computing != computation || sa.State == IkeSaState.Dead)
        {
            _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"{computation.GetType().Name} finished after its IKE SA was gone: dropped");
            computation.Discard();
            return;
        }

        sa.Computing = null;
        switch (computation)
        {
            case ResponderSaInitComputation answer:
                _saInit.Complete(answer);
                break;
            case InitiatorSaInitComputation keyed:
                if (_saInit.CompleteResponse(keyed))
                {
                    _auth.SendRequest(sa);
                }

                break;
            case InitiatorChildComputation child:
                _createChild.CompleteResponse(child);
                break;
            case ResponderChildComputation child:
                _createChild.CompleteRequest(child);
                break;
            case InitiatorIkeRekeyComputation rekey:
                _ikeRekey.CompleteResponse(rekey);
                break;
            case ResponderIkeRekeyComputation rekey:
                _ikeRekey.CompleteRequest(rekey);
                break;
            case MainModeInitiatorComputation keyed:
                MainModeI.CompleteFourth(keyed);
                break;
            case MainModeResponderComputation answer:
                MainModeR.CompleteThird(answer);
                break;
            case AggressiveModeInitiatorComputation keyed:
                AggressiveI.CompleteSecond(keyed);
                break;
            case AggressiveModeResponderComputation answer:
                AggressiveR.CompleteFirst(answer);
                break;
            case QuickModeInitiatorComputation quick:
                QuickModeI.CompleteAnswer(quick);
                break;
            case QuickModeResponderComputation quick:
                QuickModeR.CompleteFirst(quick);
                break;
            case InitiatorSaInitKeyPairComputation pair:
                _saInit.CompleteKeyPair(pair);
                break;
            case InitiatorChildKeyPairComputation pair:
                _createChild.CompleteKeyPair(pair);
                break;
            case InitiatorIkeRekeyKeyPairComputation pair:
                _ikeRekey.CompleteKeyPair(pair);
                break;
            case MainModeInitiatorKeyPairComputation pair:
                MainModeI.CompleteKeyPair(pair);
                break;
            case AggressiveModeInitiatorKeyPairComputation pair:
                AggressiveI.CompleteKeyPair(pair);
                break;
            case QuickModeInitiatorKeyPairComputation pair:
                QuickModeI.CompleteKeyPair(pair);
                break;
            case InitiatorOwnAuthComputation signed:
                _auth.CompleteRequest(signed);
                break;
            case InitiatorPeerAuthComputation check:
                _auth.CompleteResponse(check);
                break;
            case ResponderPeerAuthComputation check:
                _auth.CompleteRequest(check);
                break;
            case ResponderOwnAuthComputation signed:
                _auth.CompleteAnswer(signed);
                break;
            case MainModeInitiatorOwnSignatureComputation signed:
                MainModeI.CompleteOwnSignature(signed);
                break;
            case MainModeInitiatorPeerSignatureComputation check:
                MainModeI.CompletePeerSignature(check);
                break;
            case MainModeResponderPeerSignatureComputation check:
                MainModeR.CompletePeerSignature(check);
                break;
            case MainModeResponderOwnSignatureComputation signed:
                MainModeR.CompleteOwnSignature(signed);
                break;
            case AggressiveModeInitiatorPeerSignatureComputation check:
                AggressiveI.CompletePeerSignature(check);
                break;
            case AggressiveModeInitiatorOwnSignatureComputation signed:
                AggressiveI.CompleteOwnSignature(signed);
                break;
            case AggressiveModeResponderOwnSignatureComputation signed:
                AggressiveR.CompleteOwnSignature(signed);
                break;
            case AggressiveModeResponderPeerSignatureComputation check:
                AggressiveR.CompletePeerSignature(check);
                break;
            default:
                throw new InvalidOperationException($"no completion for {computation.GetType().Name}");
        }

        // What came while the SA waited is taken now, after the step it waited for; then our requests queued meanwhile go out.
        ReplayHeld(sa);
        PumpQueue(sa);
    }
}
