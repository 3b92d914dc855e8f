using SharpSwan.Config;
using SharpSwan.Esp;
using SharpSwan.Ike.Engine;

namespace SharpSwan.Simulation;

/// <summary>Both ESP directions of one installed child SA in the simulated data plane.</summary>
internal sealed class DataPlaneChildSa(Phase2DataPath path, ChildSaInstall install, EspSecurityAssociation inbound, EspSecurityAssociation outbound, long generation, DateTimeOffset installedAt) : IDisposable
{
    public Phase2DataPath Path { get; } = path;

    public ChildSaInstall Install { get; } = install;

    public EspSecurityAssociation Inbound { get; } = inbound;

    public EspSecurityAssociation Outbound { get; } = outbound;

    /// <summary>Install order: a higher generation is a newer SA (make-before-break switches only forward).</summary>
    public long Generation { get; } = generation;

    public DateTimeOffset InstalledAt { get; } = installedAt;

    /// <summary>The phase 2 settings the SA was negotiated under: its lifetimes do not change with a later edit.</summary>
    public Phase2Settings Settings { get; } = path.Settings;

    public void Dispose()
    {
        Inbound.Dispose();
        Outbound.Dispose();
    }
}
