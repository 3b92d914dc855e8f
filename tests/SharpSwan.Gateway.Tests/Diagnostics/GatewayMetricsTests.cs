using SharpSwan.Crypto;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Gateway.Events;
using SharpSwan.Testing;

namespace SharpSwan.Gateway.Tests.Diagnostics;

/// <summary>
/// Issue 15 item 6 at the gateway level: real engines negotiating on a virtual clock, gateway A's typed events going
/// through a <see cref="GatewayEvents"/> stream into <see cref="GatewayMetrics"/>, and its gauges read from A's engine as
/// a scrape does. Each instrument the issue names must move when the thing it counts happens.
/// </summary>
public sealed class GatewayMetricsTests : IDisposable
{
    private const string P1 = "to-branch";
    private const string P2 = "to-branch-p2";
    private const string AddressA = "192.0.2.1";
    private const string AddressB = "198.51.100.2";

    private readonly EngineNetwork _network = new();
    private readonly GatewayEvents _events = new();
    private readonly EspDataPlane _dataPlane;
    private GatewayMetrics? _metrics;
    private MetricReader? _reader;

    public GatewayMetricsTests() => _dataPlane = new EspDataPlane(SystemRandomSource.Instance, _network.Clock);

    [Fact]
    public void Negotiation_Rekeys_AndTheSaGauges_RiseWithTheEngine()
    {
        var (a, _) = Pair();
        var reader = Watch(a);
        reader.Collect();
        Assert.Equal(0, reader.Value("sharpswan_ike_sas"));
        Assert.Equal(1, reader.Value("sharpswan_tunnels", ("state", "down")));

        Assert.True(a.Engine.Initiate(P1, P2));
        _network.Run(TimeSpan.FromSeconds(5));
        reader.Collect();
        Assert.Equal(1, reader.Value("sharpswan_ike_negotiations_started_total", ("role", "initiator")));
        Assert.Equal(1, reader.Value("sharpswan_ike_negotiations_succeeded_total", ("phase1", P1)));
        Assert.Equal(1, reader.Value("sharpswan_child_sas_installed_total", ("phase2", P2)));
        Assert.Equal(1, reader.Value("sharpswan_ike_sas"));
        Assert.Equal(1, reader.Value("sharpswan_child_sas"));
        Assert.Equal(1, reader.Value("sharpswan_tunnels", ("state", "up")));

        Assert.True(a.Engine.RekeyChild(P1, P2));
        _network.Run(TimeSpan.FromSeconds(5));
        Assert.True(a.Engine.RekeyIke(P1));
        _network.Run(TimeSpan.FromSeconds(5));
        reader.Collect();
        Assert.Equal(1, reader.Value("sharpswan_rekeys_total", ("kind", "child")));
        Assert.Equal(1, reader.Value("sharpswan_rekeys_total", ("kind", "ike")));
        Assert.Equal(1, reader.Value("sharpswan_ike_sas"));
        Assert.Equal(1, reader.Value("sharpswan_child_sas"));
    }

    [Fact]
    public void AWrongKey_CountsAFailedNegotiation_AndAnAuthenticationError()
    {
        var (a, _) = Pair(pskB: "not-the-same-psk-value");
        var reader = Watch(a);

        Assert.True(a.Engine.Initiate(P1, P2));
        _network.Run(TimeSpan.FromSeconds(5));
        reader.Collect();

        Assert.True(reader.Value("sharpswan_negotiations_failed_total", ("phase1", P1)) >= 1);
        Assert.True(reader.Value("sharpswan_errors_total", ("kind", "authentication")) + reader.Value("sharpswan_errors_total", ("kind", "negotiation")) >= 1);
        Assert.Equal(0, reader.Value("sharpswan_ike_negotiations_succeeded_total"));
    }

    [Fact]
    public void APeerThatNeverFinishes_LeavesAHalfOpenSa_AndTheNextOneGetsACookie()
    {
        var (a, b) = Pair(globalA: "set ike-cookie-threshold 1");
        var reader = Watch(a);
        _network.Drop = node => node == b;

        Assert.True(b.Engine.Initiate("to-hq", "to-hq-p2"));
        _network.Run(TimeSpan.FromSeconds(1));
        reader.Collect();
        Assert.Equal(1, reader.Value("sharpswan_ike_negotiations_started_total", ("role", "responder")));
        Assert.Equal(1, reader.Value("sharpswan_ike_half_open_sas"));
        Assert.Equal(0, reader.Value("sharpswan_ike_cookies_sent_total"));

        // B gives up and starts again with new SPIs: one SA is half-open already, so A asks for a cookie.
        Assert.True(b.Engine.Terminate("to-hq", null));
        Assert.True(b.Engine.Initiate("to-hq", "to-hq-p2"));
        _network.Run(TimeSpan.FromSeconds(1));
        reader.Collect();
        Assert.Equal(1, reader.Value("sharpswan_ike_cookies_sent_total"));
        Assert.Equal(1, reader.Value("sharpswan_ike_init_refused_total", ("reason", "cookie")));
    }

    [Fact]
    public void ASilentPeer_CountsADpdFailure()
    {
        var (a, b) = Pair(phase1ExtraA: "set dpd on-idle\n                set dpd-retryinterval 5\n                set dpd-retrycount 2");
        var reader = Watch(a);
        Assert.True(a.Engine.Initiate(P1, P2));
        _network.Run(TimeSpan.FromSeconds(2));

        _network.Drop = node => node == b;
        _network.Run(TimeSpan.FromSeconds(60));
        reader.Collect();

        Assert.Equal(1, reader.Value("sharpswan_dpd_failures_total", ("phase1", P1)));
        Assert.Equal(1, reader.Value("sharpswan_errors_total", ("kind", "dpd")));
        Assert.Equal(0, reader.Value("sharpswan_ike_sas"));
    }

    [Fact]
    public void AnIkev1MainMode_CountsAsANegotiationStarted_InEitherRole()
    {
        const string ikev1 = "set ike-version 1\n                set proposal aes128-sha256";
        var (a, b) = Pair(phase1ExtraA: ikev1, phase1ExtraB: ikev1);
        var reader = Watch(a);

        Assert.True(a.Engine.Initiate(P1, P2));
        _network.Run(TimeSpan.FromSeconds(5));
        reader.Collect();
        Assert.Equal(1, reader.Value("sharpswan_ike_negotiations_started_total", ("role", "initiator")));
        Assert.Equal(1, reader.Value("sharpswan_ike_negotiations_succeeded_total", ("phase1", P1)));

        Assert.True(a.Engine.Terminate(P1, null));
        _network.Run(TimeSpan.FromSeconds(5));
        Assert.True(b.Engine.Initiate("to-hq", "to-hq-p2"));
        _network.Run(TimeSpan.FromSeconds(5));
        reader.Collect();
        Assert.Equal(1, reader.Value("sharpswan_ike_negotiations_started_total", ("role", "responder")));
        Assert.Equal(2, reader.Value("sharpswan_ike_negotiations_succeeded_total", ("phase1", P1)));
    }

    public void Dispose()
    {
        _reader?.Dispose();
        _metrics?.Dispose();
        _dataPlane.Dispose();
        _network.Dispose();
    }

    private (EngineNetwork.Node A, EngineNetwork.Node B) Pair(string pskB = "network-secret-psk-value", string globalA = "", string phase1ExtraA = "", string phase1ExtraB = "")
    {
        var global = globalA.Length == 0 ? "" : $"config system global\n    {globalA}\nend\n";
        var a = _network.Add("a", AddressA, global + EngineNetwork.SiteToSite(P1, P2, AddressA, AddressB, "10.1.0.0", "10.2.0.0", phase1Extra: phase1ExtraA));
        var b = _network.Add("b", AddressB, EngineNetwork.SiteToSite("to-hq", "to-hq-p2", AddressB, AddressA, "10.2.0.0", "10.1.0.0", pskB, phase1Extra: phase1ExtraB));
        return (a, b);
    }

    /// <summary>A's events feed the metrics; a scrape reads A's engine (on this thread: the network runs here too).</summary>
    private MetricReader Watch(EngineNetwork.Node a)
    {
        a.Published += _events.Publish;
        _metrics = new GatewayMetrics(_events, _ => GatewayMetrics.Take(a.Engine, _dataPlane));
        return _reader = new MetricReader(_metrics);
    }
}
