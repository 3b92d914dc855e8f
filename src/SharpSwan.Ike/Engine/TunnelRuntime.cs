using System.Net;
using SharpSwan.Config;

namespace SharpSwan.Ike.Engine;

/// <summary>The engine's view of one phase 1: its settings, its current IKE SA and the phase 2 schedule.</summary>
public sealed class TunnelRuntime
{
    public required Phase1Settings Settings { get; set; }

    public required IReadOnlyList<Phase2Settings> Phase2 { get; set; }

    public IPAddress? LocalAddress { get; set; }

    public IkeSa? Current { get; set; }

    /// <summary>Older IKE SAs still finishing (rekeyed, being deleted).</summary>
    public List<IkeSa> Retiring { get; } = [];

    /// <summary>Per phase 2: when auto-negotiate may try next.</summary>
    public Dictionary<string, DateTimeOffset> NextAutoAttempt { get; } = new(StringComparer.Ordinal);

    /// <summary>Phase 2s with a CREATE_CHILD_SA (or IKE_AUTH) under way, so we never start two for one selector.</summary>
    public HashSet<string> Negotiating { get; } = new(StringComparer.Ordinal);

    public string Name => Settings.Name;

    public Phase2Settings? FindPhase2(string name) => Phase2.FirstOrDefault(p => p.Name == name);
}
