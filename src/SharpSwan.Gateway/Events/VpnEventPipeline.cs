using SharpSwan.Config;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Ike.Events;

namespace SharpSwan.Gateway.Events;

/// <summary>Connects the engine's event stream to the event log: every IKE event goes through one <see cref="VpnEventDeriver"/>.</summary>
public static class VpnEventPipeline
{
    /// <param name="configuration">The running configuration (read on the engine thread, where events are published).</param>
    /// <returns>The subscription; dispose it to disconnect.</returns>
    public static IDisposable Connect(GatewayEvents stream, VpnEventLog events, Func<GatewayConfiguration> configuration, EspDataPlane dataPlane)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var deriver = new VpnEventDeriver(
            phase1 => configuration().FindPhase1(phase1)?.Interface,
            phase1 => dataPlane.FindTunnel(phase1) is { } path ? (Interlocked.Read(ref path.TxBytes), Interlocked.Read(ref path.RxBytes)) : (0, 0));
        return stream.Subscribe<IkeEvent>(e =>
        {
            foreach (var record in deriver.Observe(e))
            {
                events.Append(record);
            }
        });
    }
}
