using System.Diagnostics.Metrics;
using SharpSwan.Esp.Core;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Events;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// The gateway's <see cref="System.Diagnostics.Metrics"/> instruments. Counters of what happened are derived from the
/// typed events (engine and packet core), never from log text; gauges and traffic counters read the engine's SA tables and
/// the data plane's per-tunnel counters from a snapshot taken on the engine thread (<see cref="Refresh"/>) before each
/// collection. Names follow Prometheus conventions, so the exporter writes them as they are.
/// </summary>
public sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "SharpSwan.Gateway";

    private readonly List<IDisposable> _subscriptions = [];
    private readonly Func<TimeSpan, MetricsSnapshot?> _read;
    private MetricsSnapshot _snapshot = new(0, 0, 0, 0, [], 0, 0, 0);

    /// <param name="events">The gateway's event hub.</param>
    /// <param name="read">Takes a snapshot on the engine thread within the given time; null when it did not answer.</param>
    public GatewayMetrics(GatewayEvents events, Func<TimeSpan, MetricsSnapshot?> read)
    {
        ArgumentNullException.ThrowIfNull(events);
        _read = read;
        Meter = new Meter(MeterName);

        // Listening from the start: a counter incremented with no listener is lost, and the web server (which scrapes)
        // starts after the engine's first negotiation, and again on every admin port change.
        Exporter = new PrometheusExporter(Meter);
        CreateEventCounters(events);
        CreateObservables();
    }

    public Meter Meter { get; }

    /// <summary>The Prometheus text of <see cref="Meter"/>, summed since the gateway started.</summary>
    public PrometheusExporter Exporter { get; }

    /// <summary>Reads the engine and data plane for the observable instruments; keeps the last snapshot if the engine is busy.</summary>
    public void Refresh(TimeSpan timeout)
    {
        if (_read(timeout) is { } snapshot)
        {
            Volatile.Write(ref _snapshot, snapshot);
        }
    }

    /// <summary>The snapshot of the engine and data plane: called on the engine thread.</summary>
    public static MetricsSnapshot Take(IkeEngine engine, EspDataPlane dataPlane)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(dataPlane);
        int up = 0, down = 0, ikeSas = 0, childSas = 0;
        foreach (var tunnel in engine.Tunnels)
        {
            var established = tunnel.Current is { State: IkeSaState.Established };
            var installed = tunnel.Current?.Children.Count(c => c.State == ChildSaState.Installed) ?? 0;
            ikeSas += established ? 1 : 0;
            childSas += installed;
            if (established && installed > 0)
            {
                up++;
            }
            else
            {
                down++;
            }
        }

        var traffic = dataPlane.Tunnels.Select(t => new TunnelTrafficCounters(
            t.Name,
            Interlocked.Read(ref t.RxBytes),
            Interlocked.Read(ref t.RxPackets),
            Interlocked.Read(ref t.RxErrors),
            Interlocked.Read(ref t.TxBytes),
            Interlocked.Read(ref t.TxPackets),
            Interlocked.Read(ref t.TxErrors))).ToList();
        return new MetricsSnapshot(
            up, down, ikeSas, childSas, traffic,
            Interlocked.Read(ref dataPlane.InvalidPackets),
            Interlocked.Read(ref dataPlane.PacketErrors),
            Interlocked.Read(ref dataPlane.ThreadRestarts))
        {
            HalfOpenIkeSas = engine.HalfOpenCount,
        };
    }

    public void Dispose()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        Exporter.Dispose();
        Meter.Dispose();
    }

    private static KeyValuePair<string, object?> Tag(string name, object? value) => new(name, value);

    private void CreateEventCounters(GatewayEvents events)
    {
        var started = Meter.CreateCounter<long>("sharpswan_ike_negotiations_started_total", description: "IKE SA negotiations started, by role (initiator: IKE_SA_INIT or IKEv1 main/aggressive mode's first message sent; responder: a peer's first message answered)");
        var succeeded = Meter.CreateCounter<long>("sharpswan_ike_negotiations_succeeded_total", description: "IKE SAs established (new, not rekeys)");
        var failed = Meter.CreateCounter<long>("sharpswan_negotiations_failed_total", description: "Negotiations that failed, by stage (auth: authentication refused)");
        var childInstalled = Meter.CreateCounter<long>("sharpswan_child_sas_installed_total", description: "Child SA pairs installed (new, not rekeys)");
        var rekeys = Meter.CreateCounter<long>("sharpswan_rekeys_total", description: "Rekeys completed, by kind (ike, child)");
        var dpd = Meter.CreateCounter<long>("sharpswan_dpd_failures_total", description: "Peers declared dead by dead peer detection");
        var drops = Meter.CreateCounter<long>("sharpswan_trigger_queue_dropped_packets_total", description: "Packets dropped from the trigger queue while negotiating, by reason");
        var errors = Meter.CreateCounter<long>("sharpswan_errors_total", description: "Errors by kind (negotiation, authentication, dpd, peer_refused, exchange_timeout)");

        _subscriptions.Add(events.Subscribe<IkeSaInitSent>(e => started.Add(1, Tag("phase1", e.Phase1), Tag("role", "initiator"))));
        _subscriptions.Add(events.Subscribe<IkeSaInitAnswered>(e => started.Add(1, Tag("phase1", e.Phase1), Tag("role", "responder"))));
        _subscriptions.Add(events.Subscribe<IsakmpNegotiationStarted>(e => started.Add(1, Tag("phase1", e.Phase1), Tag("role", e.AsInitiator ? "initiator" : "responder"))));
        _subscriptions.Add(events.Subscribe<IkeSaEstablished>(e => succeeded.Add(1, Tag("phase1", e.Phase1))));
        _subscriptions.Add(events.Subscribe<NegotiationFailed>(e =>
        {
            failed.Add(1, Tag("phase1", e.Phase1), Tag("stage", e.Stage.ToString().ToLowerInvariant()));
            errors.Add(1, Tag("kind", "negotiation"));
        }));
        _subscriptions.Add(events.Subscribe<AuthenticationFailed>(e =>
        {
            failed.Add(1, Tag("phase1", e.Phase1), Tag("stage", "auth"));
            errors.Add(1, Tag("kind", "authentication"));
        }));
        _subscriptions.Add(events.Subscribe<ChildSaInstalled>(e =>
        {
            if (e.IsRekey)
            {
                rekeys.Add(1, Tag("phase1", e.Phase1), Tag("kind", "child"));
            }
            else
            {
                childInstalled.Add(1, Tag("phase1", e.Phase1), Tag("phase2", e.Phase2));
            }
        }));
        _subscriptions.Add(events.Subscribe<IkeSaRekeyed>(e => rekeys.Add(1, Tag("phase1", e.Phase1), Tag("kind", "ike"))));
        _subscriptions.Add(events.Subscribe<DpdFailed>(e =>
        {
            dpd.Add(1, Tag("phase1", e.Phase1));
            errors.Add(1, Tag("kind", "dpd"));
        }));
        _subscriptions.Add(events.Subscribe<PeerRefused>(_ => errors.Add(1, Tag("kind", "peer_refused"))));
        _subscriptions.Add(events.Subscribe<PeerRefusalsSummarised>(e => errors.Add(e.Count, Tag("kind", "peer_refused"))));
        var initRefused = Meter.CreateCounter<long>("sharpswan_ike_init_refused_total", description: "New IKE_SA_INIT requests answered with a COOKIE or dropped by the flood limits, by reason");
        var cookies = Meter.CreateCounter<long>("sharpswan_ike_cookies_sent_total", description: "IKE_SA_INIT requests answered with a COOKIE (RFC 7296 2.6) because too many SAs were half-open");
        _subscriptions.Add(events.Subscribe<CookieDemanded>(_ =>
        {
            initRefused.Add(1, Tag("reason", "cookie"));
            cookies.Add(1);
        }));
        _subscriptions.Add(events.Subscribe<InitRequestDropped>(e => initRefused.Add(1, Tag("reason", e.Reason.ToString().ToLowerInvariant()))));
        _subscriptions.Add(events.Subscribe<ExchangeTimedOut>(_ => errors.Add(1, Tag("kind", "exchange_timeout"))));
        _subscriptions.Add(events.Subscribe<TriggerQueueDropped>(e =>
            drops.Add(e.Packets, Tag("phase1", e.Phase1), Tag("phase2", e.Phase2), Tag("reason", e.Reason.ToString().ToLowerInvariant()))));
    }

    private void CreateObservables()
    {
        MetricsSnapshot Now() => Volatile.Read(ref _snapshot);
        Meter.CreateObservableGauge("sharpswan_tunnels", () => new[]
        {
            new Measurement<int>(Now().TunnelsUp, Tag("state", "up")),
            new Measurement<int>(Now().TunnelsDown, Tag("state", "down")),
        }, description: "Tunnels (phase 1s and dial-up instances) up (IKE SA and at least one child SA) or down");
        Meter.CreateObservableGauge("sharpswan_ike_sas", () => Now().IkeSas, description: "Established IKE SAs");
        Meter.CreateObservableGauge("sharpswan_child_sas", () => Now().ChildSas, description: "Installed child SA pairs");
        Meter.CreateObservableGauge("sharpswan_ike_half_open_sas", () => Now().HalfOpenIkeSas, description: "IKE SAs that answered an IKE_SA_INIT and wait for IKE_AUTH");
        Traffic("sharpswan_tunnel_rx_bytes_total", t => t.RxBytes, "Bytes received from the tunnel (decrypted)");
        Traffic("sharpswan_tunnel_rx_packets_total", t => t.RxPackets, "Packets received from the tunnel");
        Traffic("sharpswan_tunnel_rx_errors_total", t => t.RxErrors, "Inbound packets of the tunnel dropped by an error");
        Traffic("sharpswan_tunnel_tx_bytes_total", t => t.TxBytes, "Bytes sent into the tunnel (before encryption)");
        Traffic("sharpswan_tunnel_tx_packets_total", t => t.TxPackets, "Packets sent into the tunnel");
        Traffic("sharpswan_tunnel_tx_errors_total", t => t.TxErrors, "Outbound packets of the tunnel dropped by an error");
        Meter.CreateObservableCounter("sharpswan_packet_errors_total", () => new[]
        {
            new Measurement<long>(Now().InvalidPackets, Tag("kind", "invalid")),
            new Measurement<long>(Now().PacketErrors, Tag("kind", "processing")),
        }, description: "Packets dropped by the data plane: malformed or unknown (invalid), or failing in processing");
        Meter.CreateObservableCounter("sharpswan_dataplane_thread_restarts_total", () => Now().ThreadRestarts, description: "Data-plane threads restarted after a failure");

        void Traffic(string name, Func<TunnelTrafficCounters, long> value, string description) =>
            Meter.CreateObservableCounter(name, () => Now().Tunnels.Select(t => new Measurement<long>(value(t), Tag("tunnel", t.Tunnel))), description: description);
    }
}
