using SharpSwan.Config;
using SharpSwan.Gateway.Control;
using SharpSwan.Web.Monitoring;

namespace SharpSwan.Web.Tests.Support;

/// <summary>
/// A monitor over the fake gateway's configuration: every phase 1 (route- or policy-based) is a tunnel; Bring Up installs an SA on
/// the selectors (with lifetimes from the configuration), Bring Down removes them. Actions are recorded.
/// </summary>
internal sealed class FakeTunnelMonitor(IConfigurationApplier applier, TimeProvider time) : ITunnelMonitor
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string, string), DateTimeOffset> _installed = [];
    private readonly List<string> _actions = [];
    private uint _nextSpi = 0xc0ffee00;

    public IReadOnlyList<string> Actions
    {
        get
        {
            lock (_gate)
            {
                return [.. _actions];
            }
        }
    }

    public long IncomingBytes { get; set; } = 123_456;

    public Task<MonitorSnapshot> GetSnapshotAsync(CancellationToken cancellation)
    {
        var now = time.GetUtcNow();
        var configuration = applier.Current;
        lock (_gate)
        {
            var tunnels = configuration.Phase1.Select(p =>
            {
                var selectors = configuration.Phase2For(p.Name).Select(s => Selector(s, p.Name)).ToList();
                var up = selectors.Any(s => s.IsUp);
                return new TunnelStatus(
                    p.Name,
                    p.RemoteGateway.ToString(),
                    p.Interface,
                    p.IkeVersion,
                    p.Type == Phase1Type.Dynamic,
                    up,
                    up ? $"{p.RemoteGateway}:500" : null,
                    up ? "branch.example" : null,
                    up ? now.AddMinutes(-3) : null,
                    up ? IncomingBytes : 0,
                    up ? 654_321 : 0,
                    selectors)
                {
                    IsPolicyBased = !p.IsInterfaceMode,
                };
            }).ToList();
            return Task.FromResult(new MonitorSnapshot(now, tunnels));
        }
    }

    public Task<MonitorActionResult> BringUpAsync(string phase1, string? phase2, CancellationToken cancellation)
    {
        lock (_gate)
        {
            _actions.Add($"up {phase1} {phase2 ?? "*"}");
            if (Find(phase1) is not { } tunnel)
            {
                return Task.FromResult(MonitorActionResult.Failed("entry not found in datasource"));
            }

            if (tunnel.Type == Phase1Type.Dynamic)
            {
                return Task.FromResult(MonitorActionResult.Failed("cannot initiate this tunnel: a dial-up (type dynamic) phase 1 waits for its peer"));
            }

            foreach (var selector in applier.Current.Phase2For(phase1).Where(s => phase2 is null || s.Name == phase2))
            {
                _installed[(phase1, selector.Name)] = time.GetUtcNow();
            }

            return Task.FromResult(MonitorActionResult.Done);
        }
    }

    public Task<MonitorActionResult> BringDownAsync(string phase1, string? phase2, CancellationToken cancellation)
    {
        lock (_gate)
        {
            _actions.Add($"down {phase1} {phase2 ?? "*"}");
            if (Find(phase1) is null)
            {
                return Task.FromResult(MonitorActionResult.Failed("entry not found in datasource"));
            }

            foreach (var key in _installed.Keys.Where(k => k.Item1 == phase1 && (phase2 is null || k.Item2 == phase2)).ToList())
            {
                _installed.Remove(key);
            }

            return Task.FromResult(MonitorActionResult.Done);
        }
    }

    public Task<MonitorActionResult> ResetStatisticsAsync(string phase1, string? phase2, CancellationToken cancellation)
    {
        lock (_gate)
        {
            _actions.Add(phase2 is null ? $"reset {phase1}" : $"reset {phase1} {phase2}");
            IncomingBytes = 0;
            return Task.FromResult(Find(phase1) is null ? MonitorActionResult.Failed("entry not found in datasource") : MonitorActionResult.Done);
        }
    }

    private Phase1Settings? Find(string phase1) => applier.Current.FindPhase1(phase1);

    private SelectorStatus Selector(Phase2Settings settings, string phase1)
    {
        var up = _installed.TryGetValue((phase1, settings.Name), out var at);
        return new SelectorStatus(
            settings.Name,
            up,
            SelectorText.Describe(settings.Source),
            SelectorText.Describe(settings.Destination),
            settings.Protocol,
            settings.SourcePort,
            settings.DestinationPort,
            settings.AutoNegotiate,
            settings.Keepalive,
            settings.KeyLifeSeconds,
            up ? _nextSpi : null,
            up ? _nextSpi + 1 : null,
            up ? at : null,
            up ? at.AddSeconds(settings.KeyLifeSeconds - 300) : null,
            up ? at.AddSeconds(settings.KeyLifeSeconds) : null,
            null,
            up ? 1000 : 0,
            up ? 2000 : 0);
    }
}
