using SharpSwan.Esp.Core;
using SharpSwan.Ike.Events;

namespace SharpSwan.Simulation;

/// <summary>
/// Sees what every simulated data plane does, as it happens. Checkers (e.g. <see cref="LifecycleInvariants"/>) derive from
/// it; gateways call it through <see cref="Simulation"/>. Everything is single-threaded, like the simulation.
/// </summary>
internal abstract class DataPlaneObserver
{
    /// <summary>An inner packet handed to a phase 2 for sending (before it is known whether there is an SA).</summary>
    public virtual void Offered(SimulatedGateway gateway, Phase2Path path, byte[] packet)
    {
    }

    /// <summary>The packet offered last found no SA: it was held or dropped, not sent.</summary>
    public virtual void NotSent(SimulatedGateway gateway)
    {
    }

    /// <summary>An inner packet decrypted and delivered.</summary>
    public virtual void Delivered(SimulatedGateway gateway, Phase2Path path, byte[] packet)
    {
    }

    /// <summary>An SA encrypted (outbound) or decrypted (inbound) a packet.</summary>
    public virtual void EspUsed(SimulatedGateway gateway, ChildSaPath sa, bool outbound)
    {
    }

    /// <summary>An SA was installed in or removed from a phase 2.</summary>
    public virtual void InstalledChanged(SimulatedGateway gateway, Phase2Path path)
    {
    }

    /// <summary>The engine published a typed event (during one of its calls, before <see cref="EngineStepped"/>).</summary>
    public virtual void EngineEvent(SimulatedGateway gateway, IkeEvent e)
    {
    }

    /// <summary>The packet core published a typed event (switch of outbound SA, trigger-queue release or drop, acquire).</summary>
    public virtual void CoreEvent(SimulatedGateway gateway, PacketCoreEvent e)
    {
    }

    /// <summary>The engine finished one call (datagram, tick, command); its state may have changed.</summary>
    public virtual void EngineStepped(SimulatedGateway gateway)
    {
    }

    public virtual void Crashed(SimulatedGateway gateway)
    {
    }
}
