using System.Collections.Concurrent;
using SharpSwan.Config;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Gateway.Hosting;
using SharpSwan.Ike.Engine;

namespace SharpSwan.Web.Monitoring;

/// <summary>
/// The monitor of the running gateway. Every read and action runs on the engine thread (the only place engine state may
/// be touched); statistics resets are kept here as baselines because the data plane's counters only ever grow.
/// Dial-up: each connected peer of a dynamic phase 1 is a tunnel of its own (<c>&lt;template&gt;_&lt;n&gt;</c>), listed right
/// after its template with its peer, identity and mode-cfg address; it appears and vanishes as the peer comes and goes.
/// </summary>
public sealed class GatewayTunnelMonitor(IEngineInvoker engineThread, TimeProvider time) : ITunnelMonitor
{
    private const string NotFound = "entry not found in datasource";

    private readonly ConcurrentDictionary<string, (long Rx, long Tx)> _tunnelBaselines = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<uint, (long Rx, long Tx)> _saBaselines = new();

    public GatewayTunnelMonitor(GatewayService gateway, TimeProvider time)
        : this(new ServiceInvoker(gateway), time)
    {
    }

    public Task<MonitorSnapshot> GetSnapshotAsync(CancellationToken cancellation) =>
        engineThread.InvokeAsync((engine, dataPlane) =>
        {
            var tunnels = TunnelReports.Ordered(engine);

            // An instance's index may be reused by the next peer: its predecessor's reset baseline must not carry over.
            foreach (var gone in _tunnelBaselines.Keys.Where(name => tunnels.All(t => t.Name != name)))
            {
                _tunnelBaselines.TryRemove(gone, out _);
            }

            return new MonitorSnapshot(time.GetUtcNow(), [.. tunnels.Select(t => Describe(t, tunnels, dataPlane))]);
        });

    public Task<MonitorActionResult> BringUpAsync(string phase1, string? phase2, CancellationToken cancellation) =>
        engineThread.InvokeAsync((engine, _) =>
        {
            if (Find(engine, phase1, phase2) is { } missing)
            {
                return MonitorActionResult.Failed(missing);
            }

            return engine.Initiate(phase1, phase2)
                ? MonitorActionResult.Done
                : MonitorActionResult.Failed("cannot initiate this tunnel: a dial-up (type dynamic) phase 1 waits for its peer");
        });

    /// <summary>
    /// On a dial-up instance without a selector: deletes the peer's IKE SA (the instance goes). On a dial-up template
    /// (which holds no SA): takes every instance down, or with a selector, that selector of every instance.
    /// </summary>
    public Task<MonitorActionResult> BringDownAsync(string phase1, string? phase2, CancellationToken cancellation) =>
        engineThread.InvokeAsync((engine, _) =>
        {
            if (Find(engine, phase1, phase2) is { } missing)
            {
                return MonitorActionResult.Failed(missing);
            }

            var tunnel = engine.Tunnels.First(t => t.Name == phase1);
            List<TunnelRuntime> targets = tunnel.IsDialupTemplate ? [.. engine.Tunnels.Where(t => t.Template == tunnel)] : [tunnel];
            var done = targets.Aggregate(true, (ok, target) => engine.Terminate(target.Name, phase2) && ok);
            return done ? MonitorActionResult.Done : MonitorActionResult.Failed(NotFound);
        });

    public Task<MonitorActionResult> ResetStatisticsAsync(string phase1, string? phase2, CancellationToken cancellation) =>
        engineThread.InvokeAsync((engine, dataPlane) =>
        {
            if (Find(engine, phase1, phase2) is { } missing)
            {
                return MonitorActionResult.Failed(missing);
            }

            // A dial-up template holds no SA: its reset is every instance's, as Bring Down on it takes every instance down.
            var tunnel = engine.Tunnels.First(t => t.Name == phase1);
            List<TunnelRuntime> targets = tunnel.IsDialupTemplate ? [tunnel, .. engine.Tunnels.Where(t => t.Template == tunnel)] : [tunnel];

            // Baselines of SAs that no longer exist are dead weight.
            var live = engine.Tunnels.SelectMany(t => t.Current?.Children ?? []).Select(c => c.InboundSpi).ToHashSet();
            foreach (var spi in _saBaselines.Keys.Where(spi => !live.Contains(spi)))
            {
                _saBaselines.TryRemove(spi, out _);
            }

            foreach (var target in targets)
            {
                // With a phase 2 named, only its SAs' counters start again; the tunnel's total keeps counting.
                if (phase2 is null)
                {
                    var path = dataPlane.FindTunnel(target.Name);
                    _tunnelBaselines[target.Name] = path is null ? (0, 0) : (Interlocked.Read(ref path.RxBytes), Interlocked.Read(ref path.TxBytes));
                }

                foreach (var child in (target.Current?.Children ?? []).Where(c => phase2 is null || c.Phase2Name == phase2))
                {
                    if (dataPlane.FindByInboundSpi(child.InboundSpi) is { } sa)
                    {
                        _saBaselines[child.InboundSpi] = (sa.Inbound.Bytes, sa.Outbound.Bytes);
                    }
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

    private TunnelStatus Describe(TunnelRuntime tunnel, IReadOnlyList<TunnelRuntime> all, EspDataPlane dataPlane)
    {
        var settings = tunnel.Settings;
        var sa = tunnel.Current is { State: IkeSaState.Established } established ? established : null;
        var (rx, tx) = Bytes(tunnel.Name, dataPlane);
        var instances = tunnel.IsDialupTemplate ? all.Count(t => t.Template == tunnel) : 0;

        var selectors = tunnel.Phase2.Select(p => DescribeSelector(p, sa, tunnel.IsDialupInstance, dataPlane)).ToList();
        return new TunnelStatus(
            tunnel.Name,
            tunnel.IsDialupInstance && tunnel.Current is { } peer ? peer.Remote.Address.ToString() : settings.RemoteGateway.ToString(),
            settings.Interface,
            settings.IkeVersion,
            settings.Type == Phase1Type.Dynamic,
            sa is not null,
            tunnel.Current?.Remote.ToString(),
            sa is null || sa.PeerIdentity.Length == 0 ? null : sa.PeerIdentity,
            sa?.EstablishedAt,
            rx,
            tx,
            selectors)
        {
            Parent = tunnel.Template?.Name,
            InstanceIndex = tunnel.IsDialupInstance ? tunnel.InstanceIndex : null,
            AssignedAddress = tunnel.AssignedAddress?.ToString(),
            XauthUser = tunnel.XauthUser,
            InstanceCount = instances,
            IsPolicyBased = !settings.IsInterfaceMode,
        };
    }

    private (long Rx, long Tx) Bytes(string name, EspDataPlane dataPlane)
    {
        if (dataPlane.FindTunnel(name) is not { } path)
        {
            return (0, 0);
        }

        var baseline = _tunnelBaselines.GetValueOrDefault(name);
        return (Math.Max(0, Interlocked.Read(ref path.RxBytes) - baseline.Rx), Math.Max(0, Interlocked.Read(ref path.TxBytes) - baseline.Tx));
    }

    private SelectorStatus DescribeSelector(Phase2Settings phase2, IkeSa? sa, bool narrowed, EspDataPlane dataPlane)
    {
        var child = sa?.Children
            .Where(c => c.Phase2Name == phase2.Name && c.State != ChildSaState.Deleting)
            .OrderByDescending(c => c.InstalledAt)
            .FirstOrDefault();
        long rx = 0, tx = 0;
        if (child is not null && dataPlane.FindByInboundSpi(child.InboundSpi) is { } data)
        {
            var baseline = _saBaselines.GetValueOrDefault(child.InboundSpi);
            rx = Math.Max(0, data.Inbound.Bytes - baseline.Rx);
            tx = Math.Max(0, data.Outbound.Bytes - baseline.Tx);
        }

        // A dial-up peer narrows the template's selectors (to its mode-cfg address, typically): show what it holds.
        var negotiated = narrowed ? child : null;
        return new SelectorStatus(
            phase2.Name,
            child is not null,
            negotiated is null ? SelectorText.Describe(phase2.Source) : SelectorText.Describe(negotiated.LocalSelector),
            negotiated is null ? SelectorText.Describe(phase2.Destination) : SelectorText.Describe(negotiated.RemoteSelector),
            phase2.Protocol,
            phase2.SourcePort,
            phase2.DestinationPort,
            phase2.AutoNegotiate && !narrowed,
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

    private sealed class ServiceInvoker(GatewayService gateway) : IEngineInvoker
    {
        public Task<T> InvokeAsync<T>(Func<IkeEngine, EspDataPlane, T> function) => gateway.InvokeOnEngineAsync(function);
    }
}
