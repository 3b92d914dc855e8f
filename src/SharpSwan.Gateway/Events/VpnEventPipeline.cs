using SharpSwan.Config;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Hosting;

namespace SharpSwan.Gateway.Events;

/// <summary>Connects the engine's log to the event log: every line goes through one <see cref="VpnEventDeriver"/>.</summary>
public static class VpnEventPipeline
{
    /// <param name="configuration">The running configuration (read on the engine thread, where lines are written).</param>
    public static void Connect(ConsoleIkeLog log, VpnEventLog events, Func<GatewayConfiguration> configuration, EspDataPlane dataPlane)
    {
        var deriver = new VpnEventDeriver(
            phase1 => configuration().FindPhase1(phase1)?.Interface,
            phase1 => dataPlane.FindTunnel(phase1) is { } path ? (Interlocked.Read(ref path.TxBytes), Interlocked.Read(ref path.RxBytes)) : (0, 0));
        log.LineWritten += line =>
        {
            foreach (var record in deriver.Observe(line))
            {
                events.Append(record);
            }
        };
    }
}
