using System.Net;
using SharpSwan.Config;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// The engine's view of one phase 1: its settings, its current IKE SA and the phase 2 schedule. A dial-up phase 1
/// (<c>type dynamic</c>) is a template that never holds an SA itself: each peer that authenticates gets its own instance,
/// named <c>&lt;phase1&gt;_&lt;index&gt;</c> as FortiOS names them, with the template's settings.
/// </summary>
public sealed class TunnelRuntime
{
    private string? _instanceName;

    public required Phase1Settings Settings { get; set; }

    public required IReadOnlyList<Phase2Settings> Phase2 { get; set; }

    public IPAddress? LocalAddress { get; set; }

    public IkeSa? Current { get; set; }

    /// <summary>Older IKE SAs still finishing (rekeyed, being deleted).</summary>
    public List<IkeSa> Retiring { get; } = [];

    /// <summary>Per phase 2: when auto-negotiate may try next.</summary>
    public Dictionary<string, DateTimeOffset> NextAutoAttempt { get; } = new(StringComparer.Ordinal);

    /// <summary>Phase 1 auto-negotiate: when the IKE SA may be tried again after an attempt (null: at once).</summary>
    public DateTimeOffset? NextIkeAttempt { get; set; }

    /// <summary>Phase 2s with a CREATE_CHILD_SA (or IKE_AUTH) under way, so we never start two for one selector.</summary>
    public HashSet<string> Negotiating { get; } = new(StringComparer.Ordinal);

    /// <summary>For a dial-up instance: the dynamic phase 1 it was made from.</summary>
    public TunnelRuntime? Template { get; init; }

    /// <summary>For a dial-up instance: the lowest index free when the peer connected.</summary>
    public int InstanceIndex { get; init; } = -1;

    /// <summary>Messages for this tunnel's IKE SAs dropped because they were not SK-protected or did not verify (issue 11).</summary>
    public long UnprotectedDrops { get; set; }

    /// <summary>The address handed to the peer by mode-cfg, while it holds one.</summary>
    public IPAddress? AssignedAddress { get; set; }

    /// <summary>For an IKEv1 dial-up instance: the user that passed XAUTH, and the group it was checked against.</summary>
    public string? XauthUser { get; set; }

    public string? XauthGroup { get; set; }

    /// <summary>A <c>type dynamic</c> phase 1 as configured: it only answers, and its peers live in instances.</summary>
    public bool IsDialupTemplate => Template is null && Settings.Type == Phase1Type.Dynamic;

    public bool IsDialupInstance => Template is not null;

    public string Name => Template is null ? Settings.Name : _instanceName ??= $"{Template.Name}_{InstanceIndex}";

    /// <summary>The live IKE SAs that belong to this tunnel (kept by <see cref="IkeSaTable"/>), so no lookup walks every SA.</summary>
    internal HashSet<IkeSa> Sas { get; } = [];

    // A dial-up template's indexes, made on first use: thousands of instances and static tunnels never need them.
    private Dictionary<int, TunnelRuntime>? _instances;
    private SortedSet<int>? _freeInstanceIndexes;
    private Dictionary<string, HashSet<TunnelRuntime>>? _instancesByIdentity;

    /// <summary>For a dial-up template: its instances by index.</summary>
    internal Dictionary<int, TunnelRuntime> Instances => _instances ??= [];

    /// <summary>For a dial-up template: instance indexes released below <see cref="NextInstanceIndex"/>, lowest reused first.</summary>
    internal SortedSet<int> FreeInstanceIndexes => _freeInstanceIndexes ??= [];

    /// <summary>For a dial-up template: the lowest index never handed out.</summary>
    internal int NextInstanceIndex { get; set; }

    /// <summary>For a dial-up template: its instances by the identity of the peer each was made for (INITIAL_CONTACT).</summary>
    internal Dictionary<string, HashSet<TunnelRuntime>> InstancesByIdentity => _instancesByIdentity ??= new(StringComparer.Ordinal);

    /// <summary>For a dial-up instance: the identity of the peer it was made for.</summary>
    internal string? InstanceIdentity { get; set; }

    /// <summary>Order of creation in the engine: same-instant tunnel timers run in this order.</summary>
    internal long Sequence { get; set; }

    /// <summary>The due time this tunnel holds in the engine's timer queue (auto-negotiate retries; null: none queued).</summary>
    internal DateTimeOffset? TimerDue { get; set; }

    public Phase2Settings? FindPhase2(string name) => Phase2.FirstOrDefault(p => p.Name == name);
}
