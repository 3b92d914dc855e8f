using System.Net;
using SharpSwan.Ike.Events;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// Everything the sans-IO engine asks of the outside world. The real gateway sends on UDP sockets and programs its ESP
/// data plane; the simulation delivers through an in-memory network.
/// </summary>
public interface IIkeEngineHost
{
    /// <summary>Sends an IKE message; the host adds the non-ESP marker when either port is 4500.</summary>
    void SendIke(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> message);

    /// <summary>Installs both directions of a child SA in the data plane.</summary>
    void InstallChildSa(ChildSaInstall install);

    /// <summary>Makes an installed child SA the one used for outbound traffic of its phase 2.</summary>
    void ActivateOutbound(string phase1, string phase2, uint outboundSpi);

    void RemoveChildSa(string phase1, string phase2, uint inboundSpi, uint outboundSpi);

    /// <summary>Traffic seen on a child SA, so lifetimes can tell an idle SA from a busy one.</summary>
    ChildSaActivity GetActivity(uint inboundSpi, uint outboundSpi);

    /// <summary>A peer authenticated on a dial-up phase 1 and got its own tunnel instance (before any of its child SAs).</summary>
    void DialupInstanceAdded(string template, string instance)
    {
    }

    /// <summary>
    /// As a mode-cfg client: the dial-up server assigned us <paramref name="address"/> on this phase 1 (null: it is ours
    /// no more), so the host can put it on the tunnel interface for local traffic to use.
    /// </summary>
    void AssignedAddressChanged(string phase1, IPAddress? address)
    {
    }

    /// <summary>
    /// The peer's NAT mapping moved: the child SAs with these inbound SPIs send their ESP to <paramref name="remote"/> from
    /// now on (UDP-encapsulated ones to its port too).
    /// </summary>
    void PeerEndpointMoved(IReadOnlyList<uint> inboundSpis, IPEndPoint remote)
    {
    }

    /// <summary>A dial-up instance is gone (after its child SAs were removed).</summary>
    void DialupInstanceRemoved(string template, string instance)
    {
    }

    /// <summary>
    /// Public-key work the engine would otherwise do on its own thread (<see cref="EngineComputation"/>: the Diffie-Hellman
    /// and key derivation of an IKE_SA_INIT, a CREATE_CHILD_SA's PFS key exchange, or an IKE SA rekey's, as either end, and
    /// our key pair for such a request; our IKE_AUTH signature and the check of the peer's). A
    /// host that returns true runs <see cref="EngineComputation.Run"/> on a thread of its choosing, then hands the
    /// computation back to <see cref="IkeEngine.CompleteComputation"/> on the engine's thread (or calls
    /// <see cref="EngineComputation.Discard"/> when it cannot). False, the default and the simulation's choice, has
    /// the engine run it inline at once, so a seeded run stays deterministic.
    /// </summary>
    bool RunElsewhere(EngineComputation computation) => false;

    /// <summary>
    /// Something happened to a tunnel (SA up, rekeyed, down, a failure...): the typed form of the engine's event-level log
    /// lines, called on the engine's thread at the moment it happens. Hosts that keep no event stream ignore it.
    /// </summary>
    void Publish(IkeEvent e)
    {
    }
}
