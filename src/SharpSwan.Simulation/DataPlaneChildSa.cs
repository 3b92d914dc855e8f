using SharpSwan.Esp;
using SharpSwan.Ike.Engine;

namespace SharpSwan.Simulation;

/// <summary>Both ESP directions of one installed child SA in the simulated data plane.</summary>
internal sealed class DataPlaneChildSa(Phase2DataPath path, ChildSaInstall install, EspSecurityAssociation inbound, EspSecurityAssociation outbound, long generation) : IDisposable
{
    public Phase2DataPath Path { get; } = path;

    public ChildSaInstall Install { get; } = install;

    public EspSecurityAssociation Inbound { get; } = inbound;

    public EspSecurityAssociation Outbound { get; } = outbound;

    /// <summary>Install order: a higher generation is a newer SA (make-before-break switches only forward).</summary>
    public long Generation { get; } = generation;

    public void Dispose()
    {
        Inbound.Dispose();
        Outbound.Dispose();
    }
}
