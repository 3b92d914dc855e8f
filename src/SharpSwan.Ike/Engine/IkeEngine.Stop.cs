using SharpSwan.Ike.Logging;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// The gateway is stopping: every IKE SA is deleted with the peer told, and nothing brings a tunnel up again. Without the
/// latch, an auto-negotiate phase 2 that goes down with its IKE SA would start a new one before the process exits, and
/// the peer would keep that SA until its DPD gave up.
/// </summary>
public sealed partial class IkeEngine
{
    private bool _stopping;

    /// <summary>Deletes every IKE SA (DELETE sent) and stops initiating for good: auto-negotiate, keepalive and traffic.</summary>
    public void Stop()
    {
        _stopping = true;
        TouchAll();
        foreach (var tunnel in _tunnels.Values.ToList())
        {
            Terminate(tunnel.Name, phase2: null);
        }
    }

    /// <summary>True (and logged) when a new IKE SA must not start because the engine is stopping.</summary>
    private bool RefuseWhileStopping(TunnelRuntime tunnel, string phase2)
    {
        if (_stopping)
        {
            _log.Tunnel(IkeLogLevel.Event, tunnel.Name, $"not negotiating {phase2}: the gateway is stopping");
        }

        return _stopping;
    }
}
