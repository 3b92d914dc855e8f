using SharpSwan.Ike.Logging;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// Public-key work handed to the host (issue 14 item 7): an IKE_SA_INIT's Diffie-Hellman and key derivation may run on a
/// worker thread while the engine thread goes on with other SAs. The SA waits half-open with <see cref="IkeSa.Computing"/>
/// set, so nothing for it is processed until the result is taken back here, on the engine thread.
/// </summary>
public sealed partial class IkeEngine
{
    /// <summary>Computations handed to the host and not yet completed or found stale.</summary>
    public int ComputationsInFlight { get; private set; }

    /// <summary>
    /// A computation the host ran comes back (engine thread). Its SA gets its answer; when the SA was removed meanwhile
    /// (negotiate-timeout, a clear, a reconfiguration, the engine stopping) the result is wiped and dropped.
    /// </summary>
    public void CompleteComputation(KeyExchangeComputation computation)
    {
        ArgumentNullException.ThrowIfNull(computation);
        if (!computation.HasRun)
        {
            throw new InvalidOperationException("a key exchange computation must run before it is completed");
        }

        ComputationsInFlight--;
        Touch(computation.Sa);
        Finish(computation);
    }

    private void StartComputation(KeyExchangeComputation computation)
    {
        computation.Sa.Computing = computation;
        if (_host.RunElsewhere(computation))
        {
            ComputationsInFlight++;
            return;
        }

        computation.Run();
        Finish(computation);
    }

    private void Finish(KeyExchangeComputation computation)
    {
        var sa = computation.Sa;
        if (sa.Computing != computation || sa.State == IkeSaState.Dead)
        {
            _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "key exchange finished after its IKE SA was gone: dropped");
            computation.Discard();
            return;
        }

        sa.Computing = null;
        _saInit.Complete(computation);
    }
}
