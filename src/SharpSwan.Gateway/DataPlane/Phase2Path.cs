using SharpSwan.Config;

namespace SharpSwan.Gateway.DataPlane;

/// <summary>One phase 2 selector on a tunnel: the packets it covers and the SA that currently carries them out.</summary>
public sealed class Phase2Path(Phase2Settings settings)
{
    private ChildSaPath? active;

    public Phase2Settings Settings { get; } = settings;

    public uint SourceStart { get; } = Ipv4Math.ToUInt32(settings.Source.Start);

    public uint SourceEnd { get; } = Ipv4Math.ToUInt32(settings.Source.End);

    public uint DestinationStart { get; } = Ipv4Math.ToUInt32(settings.Destination.Start);

    public uint DestinationEnd { get; } = Ipv4Math.ToUInt32(settings.Destination.End);

    /// <summary>The SA used for outbound packets; swapped atomically on rekey (make-before-break).</summary>
    public ChildSaPath? Active
    {
        get => Volatile.Read(ref active);
        set => Volatile.Write(ref active, value);
    }

    /// <summary>Installed SAs of this phase 2 (normally one, two around a rekey).</summary>
    public List<ChildSaPath> Installed { get; } = [];

    /// <summary>Last time (Environment.TickCount64) we asked the engine to negotiate, to ask at most once a second.</summary>
    public long LastAcquireTicks;

    public long DroppedWithoutSa;

    /// <summary>
    /// Packets held while the phase 2 has no SA (`set trigger-queue`), sent once it is up. Owned by the tunnel's TUN reader
    /// thread, the only thread that touches it.
    /// </summary>
    public SharpSwan.Esp.TriggerQueue Trigger { get; } = new(settings.TriggerQueue);

    public bool Covers(uint source, uint destination) =>
        source >= SourceStart && source <= SourceEnd && destination >= DestinationStart && destination <= DestinationEnd;
}
