using System.Globalization;
using System.Net;
using SharpSwan.Config;
using SharpSwan.Esp.Core;
using SharpSwan.Ike.Events;

namespace SharpSwan.Simulation;

/// <summary>
/// Watches a whole simulation run and checks the SA lifecycle invariants of issue 3 throughout it:
/// <list type="bullet">
/// <item>at most one current SA per selector per side once a rekey settles (engine children and data plane alike), and at
/// most one established IKE SA per tunnel;</item>
/// <item>no packet lost during a rekey when the network loses none (a rekey is the time a phase 2 holds two SAs, widened by
/// <see cref="RekeyMargin"/> on both sides, on either gateway);</item>
/// <item>no SA used past its hard lifetime (seconds, or kilobytes with keylife-type kbs/both).</item>
/// </list>
/// Create it before the traffic starts; call <see cref="Check"/> (or <see cref="ThrowIfViolated"/>) at the end.
/// </summary>
public sealed class LifecycleInvariants
{
    private readonly Simulation _simulation;
    private readonly Observer _observer;

    public LifecycleInvariants(Simulation simulation)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        this._simulation = simulation;
        _observer = new Observer(this);
        simulation.AddObserver(_observer);
        simulation.Network.DatagramLost += _ => _observer.NetworkLosses.Add(simulation.Now);
    }

    /// <summary>How long two SAs for one selector (or two IKE SAs for one tunnel) may coexist before it counts as a duplicate.</summary>
    public TimeSpan SettleTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A rekey's window of risk starts this long before the second SA appears and ends this long after it goes.</summary>
    public TimeSpan RekeyMargin { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Packets younger than this when checking are still in flight, not lost.</summary>
    public TimeSpan DeliveryGrace { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A packet sent this close before the receiver's copy of its SA reaches its hard lifetime dies with the SA: that is
    /// expiry (traffic began too late to save the SA), not a rekey losing packets.
    /// </summary>
    public TimeSpan ExpiryGrace { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Evaluates everything seen so far (open intervals end now) and returns the findings.</summary>
    public InvariantReport Check()
    {
        var now = _simulation.Now;
        var violations = new List<string>(_observer.ImmediateViolations);
        var longestDuplicate = TimeSpan.Zero;
        foreach (var (key, intervals) in _observer.Duplicates)
        {
            foreach (var (start, end) in intervals)
            {
                var stop = end ?? now;
                longestDuplicate = stop - start > longestDuplicate ? stop - start : longestDuplicate;
                if (stop - start > SettleTime)
                {
                    violations.Add($"{key}: {Describe(start)} to {(end is null ? "now" : Describe(stop))} ({(stop - start).TotalSeconds:0.###} s, settle time {SettleTime.TotalSeconds:0.###} s)");
                }
            }
        }

        var windows = _observer.Paths.Select((path, id) => (path, id))
            .SelectMany(p => _observer.InstalledIntervals(p.id).Select(w => (PathId: p.id, Start: w.Start - RekeyMargin, End: (w.End ?? now) + RekeyMargin)))
            .ToList();
        var lossyWindows = windows.Where(w =>
            _observer.NetworkLosses.Any(t => t >= w.Start && t <= w.End) ||
            _observer.Crashes.Any(t => t >= w.Start && t <= w.End)).ToHashSet();

        long duringRekeys = 0;
        foreach (var offer in _observer.Offers)
        {
            if (windows.Any(w => Related(offer.PathId, w.PathId) && offer.Time >= w.Start && offer.Time <= w.End))
            {
                duringRekeys++;
            }
        }

        long lost = 0;
        long lostDuringRekeys = 0;
        long lostToExpiry = 0;
        foreach (var pending in _observer.Pending.Values.SelectMany(q => q))
        {
            if (now - pending.Time < DeliveryGrace)
            {
                continue;
            }

            lost++;
            if (pending.Spi is { } spi && _observer.InboundExpiry.TryGetValue(spi, out var expiry) && expiry <= pending.Time + ExpiryGrace)
            {
                lostToExpiry++;
                continue;
            }

            var window = windows.FirstOrDefault(w => Related(pending.PathId, w.PathId) && pending.Time >= w.Start && pending.Time <= w.End);
            if (window == default)
            {
                continue;
            }

            lostDuringRekeys++;
            if (!lossyWindows.Contains(window))
            {
                violations.Add($"packet lost during a rekey on a lossless network: sent by {_observer.Paths[pending.PathId]} at {Describe(pending.Time)}, rekey window {Describe(window.Start)}-{Describe(window.End)} on {_observer.Paths[window.PathId]}");
            }
        }

        var rekeys = _simulation.Timeline.Count(e => e.Kind == SimulationEventKind.ChildInstalled && e.IsRekey);
        return new InvariantReport(violations, rekeys, _observer.Offers.Count, duringRekeys, lost, lostDuringRekeys, _observer.NetworkLosses.Count)
        {
            PacketsLostToExpiry = lostToExpiry,
            PacketsDroppedByTriggerQueue = _observer.TriggerQueueDrops,
            LongestDuplicate = longestDuplicate,
        };
    }

    /// <summary>Throws with every violation (and the seed) if any invariant was broken.</summary>
    public void ThrowIfViolated()
    {
        var report = Check();
        if (report.Violations.Count > 0)
        {
            throw new InvalidOperationException(
                $"{report.Violations.Count} lifecycle invariant violation(s) (replay with seed {_simulation.Seed}):{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", report.Violations.Take(20)));
        }
    }

    private string Describe(DateTimeOffset time) => $"+{(time - _simulation.Clock.Start).TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s";

    /// <summary>Two paths are related when they are the same one or the two ends of one tunnel.</summary>
    private bool Related(int a, int b)
    {
        if (a == b)
        {
            return true;
        }

        var first = _observer.Paths[a];
        var second = _observer.Paths[b];
        return first.Gateway != second.Gateway &&
            ((first.PeerAddress is { } p1 && p1.Equals(second.LocalAddress)) || (second.PeerAddress is { } p2 && p2.Equals(first.LocalAddress)));
    }

    private sealed record PathKey(string Gateway, IPAddress LocalAddress, string Phase1, string Phase2)
    {
        /// <summary>The address the path's SAs lead to, learnt from the first SA installed.</summary>
        public IPAddress? PeerAddress { get; set; }

        public override string ToString() => $"{Gateway} {Phase1}/{Phase2}";
    }

    /// <summary>One offered packet; <see cref="Spi"/> is the SA it was encrypted with, if it went out at once.</summary>
    private sealed record Offer(DateTimeOffset Time, int PathId)
    {
        public uint? Spi { get; set; }
    }

    /// <summary>Collects what happens; all evaluation is left to <see cref="Check"/>.</summary>
    private sealed class Observer(LifecycleInvariants owner) : DataPlaneObserver
    {
        private readonly Dictionary<(string, string, string), int> _pathIds = [];
        private readonly Dictionary<int, List<(DateTimeOffset Start, DateTimeOffset? End)>> _installed = [];
        private readonly Dictionary<(string, string, string?), DateTimeOffset> _openDuplicates = [];
        private readonly Dictionary<(string, string, string?), string> _identities = [];
        private readonly Dictionary<(ChildSaPath, bool), long> _lastBytes = [];
        private readonly HashSet<ChildSaPath> _reportedExpired = [];
        private readonly Dictionary<(string Gateway, int Serial), string> _currentIkeSas = [];
        private readonly Dictionary<(string Gateway, uint InboundSpi), (string Phase1, string Phase2)> _currentChildren = [];
        private readonly Dictionary<(string Gateway, string Phase1, string? What), int> _currentCounts = [];
        private readonly HashSet<(string Gateway, string Phase1, string? What)> _changedCounts = [];
        private (SimulatedGateway Gateway, Offer Offer)? _awaitingEsp;

        public List<PathKey> Paths { get; } = [];

        public List<Offer> Offers { get; } = [];

        /// <summary>Offered packets not delivered yet, by content (traffic generators number their packets).</summary>
        public Dictionary<string, Queue<Offer>> Pending { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<(DateTimeOffset Start, DateTimeOffset? End)>> Duplicates { get; } = new(StringComparer.Ordinal);

        public List<string> ImmediateViolations { get; } = [];

        public List<DateTimeOffset> NetworkLosses { get; } = [];

        public List<DateTimeOffset> Crashes { get; } = [];

        public long TriggerQueueDrops { get; private set; }

        /// <summary>Hard expiry (by time) of every inbound SA ever installed, by SPI: the receiver's end of the sender's SA.</summary>
        public Dictionary<uint, DateTimeOffset> InboundExpiry { get; } = [];

        private DateTimeOffset Now => owner._simulation.Now;

        public IEnumerable<(DateTimeOffset Start, DateTimeOffset? End)> InstalledIntervals(int pathId) =>
            _installed.TryGetValue(pathId, out var list) ? list : [];

        public override void Offered(SimulatedGateway gateway, Phase2Path path, byte[] packet)
        {
            var offer = new Offer(Now, PathId(gateway, path));
            Offers.Add(offer);
            var key = Convert.ToHexString(packet);
            if (!Pending.TryGetValue(key, out var queue))
            {
                Pending[key] = queue = new Queue<Offer>();
            }

            queue.Enqueue(offer);
            _awaitingEsp = (gateway, offer);
        }

        public override void NotSent(SimulatedGateway gateway) => _awaitingEsp = null;

        public override void Delivered(SimulatedGateway gateway, Phase2Path path, byte[] packet)
        {
            var key = Convert.ToHexString(packet);
            if (Pending.TryGetValue(key, out var queue))
            {
                queue.Dequeue();
                if (queue.Count == 0)
                {
                    Pending.Remove(key);
                }
            }
        }

        public override void EspUsed(SimulatedGateway gateway, ChildSaPath sa, bool outbound)
        {
            if (outbound && _awaitingEsp is { } waiting && waiting.Gateway == gateway)
            {
                waiting.Offer.Spi = sa.Install.OutboundSpi;
            }

            _awaitingEsp = null;
            var settings = sa.Settings;
            var life = Lifetime(settings);
            var expired = Now > sa.InstalledAt + life;
            var bytes = outbound ? sa.Outbound.Bytes : sa.Inbound.Bytes;
            if (settings.KeyLifeType != KeyLifeType.Seconds)
            {
                // Violated when a packet goes through an SA that had already carried its full keylifekbs.
                var before = _lastBytes.GetValueOrDefault((sa, outbound));
                _lastBytes[(sa, outbound)] = bytes;
                expired |= before >= settings.KeyLifeKbs * 1024;
            }

            if (expired && _reportedExpired.Add(sa))
            {
                ImmediateViolations.Add(
                    $"{gateway.Name} {sa.Phase2}: SA in={sa.Install.InboundSpi:x8} out={sa.Install.OutboundSpi:x8} used {(outbound ? "outbound" : "inbound")} past its hard lifetime at {owner.Describe(Now)} (installed {owner.Describe(sa.InstalledAt)}, {bytes} bytes)");
            }
        }

        public override void InstalledChanged(SimulatedGateway gateway, Phase2Path path)
        {
            var id = PathId(gateway, path);
            foreach (var sa in path.Installed)
            {
                InboundExpiry.TryAdd(sa.Install.InboundSpi, sa.InstalledAt + Lifetime(sa.Settings));
            }

            if (path.Installed.Count > 0)
            {
                Paths[id].PeerAddress ??= path.Installed[0].Install.RemoteEndPoint.Address;
            }

            if (!_installed.TryGetValue(id, out var list))
            {
                _installed[id] = list = [];
            }

            var open = list.Count > 0 && list[^1].End is null;
            if (path.Installed.Count >= 2 && !open)
            {
                list.Add((Now, null));
            }
            else if (path.Installed.Count < 2 && open)
            {
                list[^1] = (list[^1].Start, Now);
            }

            Track(path.Installed.Count > 1, (gateway.Name, path.Phase1, path.Settings.Name + " (data plane)"));
        }

        /// <summary>
        /// Follows which IKE and child SAs are current from the engine's events alone: an SA counts from the event that
        /// brings it up until the one that retires or deletes it (whichever comes first).
        /// </summary>
        public override void EngineEvent(SimulatedGateway gateway, IkeEvent e)
        {
            switch (e)
            {
                case IkeSaEstablished or IkeSaRekeyed when e.IkeSerial is { } serial && e.Phase1 is { } phase1:
                    if (_currentIkeSas.TryAdd((gateway.Name, serial), phase1))
                    {
                        Count((gateway.Name, phase1, null), +1);
                    }

                    break;
                case IkeSaRetired or IkeSaDeleted when e.IkeSerial is { } serial && _currentIkeSas.Remove((gateway.Name, serial), out var phase1):
                    Count((gateway.Name, phase1, null), -1);
                    break;
                case ChildSaInstalled or ChildSaReinstated when e is ChildSaEvent child && child.Phase1 is { } phase1:
                    if (_currentChildren.TryAdd((gateway.Name, child.InboundSpi), (phase1, child.Phase2)))
                    {
                        Count((gateway.Name, phase1, child.Phase2 + " (engine)"), +1);
                    }

                    break;
                case ChildSaRetired or ChildSaDeleted when e is ChildSaEvent child && _currentChildren.Remove((gateway.Name, child.InboundSpi), out var path):
                    Count((gateway.Name, path.Phase1, path.Phase2 + " (engine)"), -1);
                    break;
            }
        }

        public override void CoreEvent(SimulatedGateway gateway, PacketCoreEvent e)
        {
            if (e is TriggerQueueDropped dropped)
            {
                TriggerQueueDrops += dropped.Packets;
            }
        }

        /// <summary>The engine call is over: its events are all in, so the counts they changed are what holds now.</summary>
        public override void EngineStepped(SimulatedGateway gateway)
        {
            // The packet offered last found no SA (the engine was asked to negotiate): it did not go out at once.
            _awaitingEsp = null;
            foreach (var key in _changedCounts)
            {
                Track(_currentCounts.GetValueOrDefault(key) > 1, key);
            }

            _changedCounts.Clear();
        }

        public override void Crashed(SimulatedGateway gateway)
        {
            Crashes.Add(Now);

            // The engine's state died with it without a word: nothing it had is current any more.
            _currentIkeSas.Keys.Where(k => k.Gateway == gateway.Name).ToList().ForEach(k => _currentIkeSas.Remove(k));
            _currentChildren.Keys.Where(k => k.Gateway == gateway.Name).ToList().ForEach(k => _currentChildren.Remove(k));
            foreach (var key in _currentCounts.Keys.Where(k => k.Gateway == gateway.Name).ToList())
            {
                _currentCounts.Remove(key);
                _changedCounts.Remove(key);
            }

            foreach (var key in _openDuplicates.Keys.Where(k => k.Item1 == gateway.Name).ToList())
            {
                Close(key);
            }
        }

        private static TimeSpan Lifetime(Phase2Settings settings) =>
            TimeSpan.FromSeconds(settings.KeyLifeType == KeyLifeType.Kbs ? 172800 : settings.KeyLifeSeconds);

        private int PathId(SimulatedGateway gateway, Phase2Path path)
        {
            var key = (gateway.Name, path.Phase1, path.Settings.Name);
            if (!_pathIds.TryGetValue(key, out var id))
            {
                id = Paths.Count;
                Paths.Add(new PathKey(gateway.Name, gateway.LocalAddress, path.Phase1, path.Settings.Name));
                _pathIds[key] = id;
            }

            return id;
        }

        /// <summary>Current SAs per tunnel (What null) or per phase 2 as the engine sees them, from its events.</summary>
        private void Count((string Gateway, string Phase1, string? What) key, int change)
        {
            _currentCounts[key] = _currentCounts.GetValueOrDefault(key) + change;
            _changedCounts.Add(key);
        }

        /// <summary>Opens an interval while the condition holds and closes it when it stops.</summary>
        private void Track(bool duplicated, (string Gateway, string Phase1, string? What) key)
        {
            if (duplicated && !_openDuplicates.ContainsKey(key))
            {
                _openDuplicates[key] = Now;
                var identity = key.What is null
                    ? $"{key.Gateway} {key.Phase1}: more than one established IKE SA"
                    : $"{key.Gateway} {key.Phase1}/{key.What}: more than one current SA for the selector";
                if (!Duplicates.TryGetValue(identity, out var list))
                {
                    Duplicates[identity] = list = [];
                }

                list.Add((Now, null));
                _identities[key] = identity;
            }
            else if (!duplicated && _openDuplicates.ContainsKey(key))
            {
                Close(key);
            }
        }

        private void Close((string, string, string?) key)
        {
            _openDuplicates.Remove(key);
            var list = Duplicates[_identities[key]];
            list[^1] = (list[^1].Start, Now);
        }
    }
}
