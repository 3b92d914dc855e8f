using System.Collections.Concurrent;
using SharpSwan.Config;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Hosting;
using SharpSwan.Ike.Engine;

namespace SharpSwan.Web.Monitoring;

/// <summary>
/// The monitor of the running gateway. Every read and action runs on the engine thread (the only place engine state may
/// be touched); statistics resets are kept here as baselines because the data plane's counters only ever grow.
/// </summary>
public sealed class GatewayTunnelMonitor(GatewayService gateway, TimeProvider time) : ITunnelMonitor
{
    private const string NotFound = "entry not found in datasource";

    private readonly ConcurrentDictionary<string, (long Rx, long Tx)> tunnelBaselines = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<uint, (long Rx, long Tx)> saBaselines = new();

    public Task<MonitorSnapshot> GetSnapshotAsync(CancellationToken cancellation) =>
        gateway.InvokeOnEngineAsync((engine, dataPlane) => new MonitorSnapshot(
            time.GetUtcNow(),
            [.. engine.Tunnels.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => Describe(t, dataPlane))]));

    public Task<MonitorActionResult> BringUpAsync(string phase1, string? phase2, CancellationToken cancellation) =>
        gateway.InvokeOnEngineAsync((engine, _) =>
        {
            if (Find(engine, phase1, phase2) is { } missing)
            {
                return MonitorActionResult.Failed(missing);
            }

            return engine.Initiate(phase1, phase2)
                ? MonitorActionResult.Done
                : MonitorActionResult.Failed("cannot initiate this tunnel: a dial-up (type dynamic) phase 1 waits for its peer");
        });

    public Task<MonitorActionResult> BringDownAsync(string phase1, string? phase2, CancellationToken cancellation) =>
        gateway.InvokeOnEngineAsync((engine, _) =>
            Find(engine, phase1, phase2) is { } missing
                ? MonitorActionResult.Failed(missing)
                : engine.Terminate(phase1, phase2) ? MonitorActionResult.Done : MonitorActionResult.Failed(NotFound));

    public Task<MonitorActionResult> ResetStatisticsAsync(string phase1, CancellationToken cancellation) =>
        gateway.InvokeOnEngineAsync((engine, dataPlane) =>
        {
            if (engine.Tunnels.FirstOrDefault(t => t.Name == phase1) is not { } tunnel)
            {
                return MonitorActionResult.Failed(NotFound);
            }

            // Baselines of SAs that no longer exist are dead weight.
            var live = engine.Tunnels.SelectMany(t => t.Current?.Children ?? []).Select(c => c.InboundSpi).ToHashSet();
            foreach (var spi in saBaselines.Keys.Where(spi => !live.Contains(spi)))
            {
                saBaselines.TryRemove(spi, out _);
            }

            var path = dataPlane.FindTunnel(phase1);
            tunnelBaselines[phase1] = path is null ? (0, 0) : (Interlocked.Read(ref path.RxBytes), Interlocked.Read(ref path.TxBytes));
            foreach (var child in tunnel.Current?.Children ?? [])
            {
                if (dataPlane.FindByInboundSpi(child.InboundSpi) is { } sa)
                {
                    saBaselines[child.InboundSpi] = (sa.Inbound.Bytes, sa.Outbound.Bytes);
                }
            }

            return MonitorActionResult.Done;
        });

    private static string? Find(IkeEngine engine, string phase1, string? phase2)
    {
        var tunnel = engine.Tunnels.FirstOrDefault(t => t.Name == phase1);
        if (tunnel is null || (phase2 is not null && tunnel.FindPhase2(phase2) is null))
        {
            return NotFound;
        }

        return null;
    }

    private TunnelStatus Describe(TunnelRuntime tunnel, EspDataPlane dataPlane)
    {
        var settings = tunnel.Settings;
        var sa = tunnel.Current is { State: IkeSaState.Established } established ? established : null;
        var path = dataPlane.FindTunnel(tunnel.Name);
        var baseline = tunnelBaselines.GetValueOrDefault(tunnel.Name);
        var rx = path is null ? 0 : Interlocked.Read(ref path.RxBytes) - baseline.Rx;
        var tx = path is null ? 0 : Interlocked.Read(ref path.TxBytes) - baseline.Tx;
        var selectors = tunnel.Phase2.Select(p => DescribeSelector(p, sa, dataPlane)).ToList();
        return new TunnelStatus(
            tunnel.Name,
            settings.RemoteGateway.ToString(),
            settings.Interface,
            settings.IkeVersion,
            settings.Type == Phase1Type.Dynamic,
            sa is not null,
            tunnel.Current?.Remote.ToString(),
            sa is null || sa.PeerIdentity.Length == 0 ? null : sa.PeerIdentity,
            sa?.EstablishedAt,
            Math.Max(0, rx),
            Math.Max(0, tx),
            selectors);
    }

    private SelectorStatus DescribeSelector(Phase2Settings phase2, IkeSa? sa, EspDataPlane dataPlane)
    {
        var child = sa?.Children
            .Where(c => c.Phase2Name == phase2.Name && c.State != ChildSaState.Deleting)
            .OrderByDescending(c => c.InstalledAt)
            .FirstOrDefault();
        long rx = 0, tx = 0;
        if (child is not null && dataPlane.FindByInboundSpi(child.InboundSpi) is { } data)
        {
            var baseline = saBaselines.GetValueOrDefault(child.InboundSpi);
            rx = Math.Max(0, data.Inbound.Bytes - baseline.Rx);
            tx = Math.Max(0, data.Outbound.Bytes - baseline.Tx);
        }

        return new SelectorStatus(
            phase2.Name,
            child is not null,
            SelectorText.Describe(phase2.Source),
            SelectorText.Describe(phase2.Destination),
            phase2.Protocol,
            phase2.SourcePort,
            phase2.DestinationPort,
            phase2.AutoNegotiate,
            phase2.Keepalive,
            phase2.KeyLifeSeconds,
            child?.InboundSpi,
            child?.OutboundSpi,
            child?.InstalledAt,
            child?.SoftExpiry,
            child?.HardExpiry,
            child?.Predecessor is null ? null : child.InstalledAt,
            rx,
            tx);
    }
}
