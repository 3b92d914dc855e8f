using System.Net;
using SharpSwan.Config;
using SharpSwan.Esp;

namespace SharpSwan.Simulation;

/// <summary>One phase 2 in the simulated data plane: its installed SAs, the one used outbound, its trigger queue and counters.</summary>
internal sealed class Phase2DataPath(string phase1, Phase2Settings settings)
{
    public string Phase1 { get; } = phase1;

    /// <summary>Replaced when a configuration change keeps the phase 2 but edits it.</summary>
    public Phase2Settings Settings { get; set; } = settings;

    /// <summary>Normally one SA, two around a rekey; in install order.</summary>
    public List<DataPlaneChildSa> Installed { get; } = [];

    public DataPlaneChildSa? Active { get; set; }

    public Phase2Traffic Traffic { get; } = new();

    /// <summary>Packets held while the phase 2 has no SA (`set trigger-queue`, 0 = drop as FortiOS does).</summary>
    public TriggerQueue Queue { get; } = new(settings.TriggerQueue);

    /// <summary>Whether an outbound packet belongs to this phase 2 by its configured selectors (as the real TUN path decides).</summary>
    public bool Covers(IPAddress source, IPAddress destination) =>
        Settings.Source.Contains(source) && Settings.Destination.Contains(destination);

    public override string ToString() => $"{Phase1}/{Settings.Name}";
}
