using SharpSwan.Config;
using SharpSwan.Esp.Core;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.DataPlane;

/// <summary>The data path of one phase1-interface: its TUN device, its phase 2 selectors and its counters.</summary>
public sealed class TunnelPath(Phase1Settings settings, TunDevice tun, IReadOnlyList<Phase2Path> phase2)
{
    private IReadOnlyList<Phase2Path> _phase2 = phase2;
    private Phase1Settings _settings = settings;

    public Phase1Settings Settings
    {
        get => Volatile.Read(ref _settings);
        set => Volatile.Write(ref _settings, value);
    }

    public TunDevice Tun { get; } = tun;

    /// <summary>The phase 2 selectors; replaced as a whole (copy-on-write) when the configuration changes.</summary>
    public IReadOnlyList<Phase2Path> Phase2
    {
        get => Volatile.Read(ref _phase2);
        set => Volatile.Write(ref _phase2, value);
    }

    public string Name => InstanceName ?? Settings.Name;

    /// <summary>
    /// A configuration change gives the tunnel these phase 2s. A path whose SAs the engine keeps (unchanged, or changed
    /// only in <see cref="Phase2Settings.SameNegotiatedSettings"/>'s sense) stays, with its SAs, counters and trigger
    /// queue, and takes the new settings; the others are made anew by <paramref name="create"/>, as the engine
    /// renegotiates them.
    /// </summary>
    /// <param name="initiates">Whether the phase 1 starts negotiations (not a dial-up server): a path that says otherwise is made anew.</param>
    public void ChangePhase2(IEnumerable<Phase2Settings> wanted, bool initiates, Func<Phase2Settings, Phase2Path> create)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(create);
        var current = Phase2;
        Phase2 = [.. wanted.Select(p =>
        {
            if (current.FirstOrDefault(old => old.Name == p.Name && old.Initiates == initiates && old.Settings.SameNegotiatedSettings(p)) is not { } kept)
            {
                return create(p);
            }

            PacketCore.Reconfigure(kept, p);
            return kept;
        })];
    }

    /// <summary>For a dial-up instance: its name (<c>&lt;phase1&gt;_&lt;n&gt;</c>); it shares the template's TUN device.</summary>
    public string? InstanceName { get; init; }

    /// <summary>For a dial-up instance: the dynamic phase 1's path, whose TUN worker dispatches to it.</summary>
    public TunnelPath? Template { get; init; }

    private InstanceIndex? _instances;

    /// <summary>
    /// A dynamic phase 1's connected peers, found by name or, for an outbound packet, by hash of its destination. Made on
    /// first use: only a dial-up template ever has instances, and a static tunnel (a thousand of them in one gateway)
    /// need not carry its empty tables, about 1.5 KiB each.
    /// </summary>
    public InstanceIndex Instances => Volatile.Read(ref _instances) ?? LazyInitializer.EnsureInitialized(ref _instances);

    public long RxPackets;

    public long RxBytes;

    public long RxErrors;

    public long TxPackets;

    public long TxBytes;

    public long TxErrors;

    /// <summary>Outbound super-packets that could not be segmented (not TCP over IPv4, malformed): dropped.</summary>
    public long OffloadDrops;

    public long LastRxTicks;

    public long LastTxTicks;

    /// <summary>
    /// For a dial-up template: the instance SA whose negotiated selectors cover the packet. Instances share the phase 2
    /// settings (often 0.0.0.0/0 towards the peers), so only the narrowed selectors of each peer's SA can tell them apart;
    /// <see cref="InstanceIndex"/> finds them by hash, not by a scan of every peer.
    /// </summary>
    public ChildSaPath? MatchInstance(in PacketFlow flow) => Instances.Match(flow);

    /// <summary>The first phase 2 whose configured selectors (addresses, protocol, ports) cover the packet.</summary>
    public Phase2Path? Match(in PacketFlow flow)
    {
        foreach (var path in Phase2)
        {
            if (path.Covers(flow))
            {
                return path;
            }
        }

        return null;
    }
}
