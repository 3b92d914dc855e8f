using SharpSwan.Config;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.DataPlane;

/// <summary>The data path of one phase1-interface: its TUN device, its phase 2 selectors and its counters.</summary>
public sealed class TunnelPath(Phase1Settings settings, TunDevice tun, IReadOnlyList<Phase2Path> phase2)
{
    private IReadOnlyList<Phase2Path> phase2 = phase2;
    private Phase1Settings settings = settings;

    public Phase1Settings Settings
    {
        get => Volatile.Read(ref settings);
        set => Volatile.Write(ref settings, value);
    }

    public TunDevice Tun { get; } = tun;

    /// <summary>The phase 2 selectors; replaced as a whole (copy-on-write) when the configuration changes.</summary>
    public IReadOnlyList<Phase2Path> Phase2
    {
        get => Volatile.Read(ref phase2);
        set => Volatile.Write(ref phase2, value);
    }

    public string Name => Settings.Name;

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

    public Phase2Path? Match(uint source, uint destination)
    {
        foreach (var path in Phase2)
        {
            if (path.Covers(source, destination))
            {
                return path;
            }
        }

        return null;
    }
}
