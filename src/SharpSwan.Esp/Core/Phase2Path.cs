using SharpSwan.Config;
using SharpSwan.Ike.Negotiation;

namespace SharpSwan.Esp.Core;

/// <summary>
/// One phase 2 in the data plane: the packets its configured selectors cover, its installed SAs (normally one, two
/// around a rekey), the SA outbound traffic uses, its trigger queue and its counters. A dial-up instance has its own,
/// named after the instance.
/// </summary>
public sealed class Phase2Path
{
    private ChildSaPath? _active;
    private Selectors _selectors;
    private long _negotiateTimeoutSeconds;

    public Phase2Path(string phase1, Phase2Settings settings, int negotiateTimeoutSeconds = 30, bool initiates = true)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Phase1 = phase1;
        Initiates = initiates;
        _selectors = new Selectors(settings);
        NegotiateTimeoutSeconds = negotiateTimeoutSeconds;
        Trigger = new TriggerQueue(settings.TriggerQueue);
    }

    /// <summary>The phase 1 (or dial-up instance) the phase 2 belongs to.</summary>
    public string Phase1 { get; }

    public string Name => Settings.Name;

    /// <summary>False on a dial-up server (template and instances): it never starts a negotiation, so nothing waits for one.</summary>
    public bool Initiates { get; }

    /// <summary>The configured phase 2; replaced through <see cref="PacketCore.Reconfigure"/>.</summary>
    public Phase2Settings Settings => Volatile.Read(ref _selectors).Settings;

    /// <summary>How long held packets may wait for an SA: the phase 1 negotiate-timeout (at least a second).</summary>
    public int NegotiateTimeoutSeconds
    {
        get => (int)Interlocked.Read(ref _negotiateTimeoutSeconds);
        set => Interlocked.Exchange(ref _negotiateTimeoutSeconds, Math.Max(1, value));
    }

    /// <summary>The SA used for outbound packets; swapped atomically (make-before-break).</summary>
    public ChildSaPath? Active => Volatile.Read(ref _active);

    /// <summary>Installed SAs in install order; read and written under a lock on the list.</summary>
    public List<ChildSaPath> Installed { get; } = [];

    /// <summary>Packets held while there is no SA (`set trigger-queue`). Only the queue's owner thread touches it.</summary>
    public TriggerQueue Trigger { get; }

    public Phase2Traffic Traffic { get; } = new();

    /// <summary>Timestamp of the last acquire (long.MinValue: never), so the engine is asked at most once a second.</summary>
    internal long _lastAcquire = long.MinValue;

    /// <summary>1 when the host reported failed negotiation; the queue owner drops the held packets when it sees it.</summary>
    internal int _negotiationFailedFlag;

    /// <summary>Whether an outbound packet's addresses are inside this phase 2's configured address selectors.</summary>
    public bool Covers(uint source, uint destination)
    {
        var current = Volatile.Read(ref _selectors);
        return source >= current.SourceStart && source <= current.SourceEnd &&
            destination >= current.DestinationStart && destination <= current.DestinationEnd;
    }

    /// <summary>Whether an outbound packet belongs to this phase 2 by its configured selectors: addresses, protocol and ports.</summary>
    public bool Covers(in PacketFlow flow)
    {
        var current = Volatile.Read(ref _selectors);
        return flow.Source >= current.SourceStart && flow.Source <= current.SourceEnd &&
            flow.Destination >= current.DestinationStart && flow.Destination <= current.DestinationEnd &&
            current.SourcePorts.Matches(flow, flow.SourcePort) && current.DestinationPorts.Matches(flow, flow.DestinationPort);
    }

    public override string ToString() => $"{Phase1}/{Name}";

    internal void SetSettings(Phase2Settings settings) => Volatile.Write(ref _selectors, new Selectors(settings));

    internal void SetActive(ChildSaPath? sa) => Volatile.Write(ref _active, sa);

    /// <summary>Moves outbound to <paramref name="sa"/> only if it is still <paramref name="expected"/>; true if it moved.</summary>
    internal bool TrySwitchActive(ChildSaPath? expected, ChildSaPath sa) => Interlocked.CompareExchange(ref _active, sa, expected) == expected;

    /// <summary>The settings with their selectors as numbers, swapped as one so a packet thread never sees half an edit.</summary>
    private sealed class Selectors(Phase2Settings settings)
    {
        public Phase2Settings Settings { get; } = settings;

        public uint SourceStart { get; } = SelectorMath.ToUInt32(settings.Source.Start);

        public uint SourceEnd { get; } = SelectorMath.ToUInt32(settings.Source.End);

        public uint DestinationStart { get; } = SelectorMath.ToUInt32(settings.Destination.Start);

        public uint DestinationEnd { get; } = SelectorMath.ToUInt32(settings.Destination.End);

        public PortSelector SourcePorts { get; } = PortSelector.FromPhase2(settings.Protocol, settings.SourcePort);

        public PortSelector DestinationPorts { get; } = PortSelector.FromPhase2(settings.Protocol, settings.DestinationPort);
    }
}
