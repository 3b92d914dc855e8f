using System.Net;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Events;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Hosting;

/// <summary>
/// Connects the engine's requests to the real sockets and the user-space ESP data plane, and its typed events to the
/// gateway's event stream (event log, syslog, GUI timeline) when it has one.
/// </summary>
public sealed class GatewayEngineHost(EspDataPlane dataPlane, int natTraversalPort, GatewayEvents? events = null) : IIkeEngineHost
{
    // add-route: per dial-up instance, the routes to its peer's selectors on the phase 1's interface. Engine thread only.
    private readonly Dictionary<string, HashSet<(IPAddress Destination, int Prefix, string Device)>> _instanceRoutes = new(StringComparer.Ordinal);

    // mode-cfg client: the address the server gave each phase 1, as put on its tunnel interface. Engine thread only.
    private readonly Dictionary<string, IPAddress> _assignedAddresses = new(StringComparer.Ordinal);

    /// <summary>Where the engine's public-key work runs; null: on the engine thread.</summary>
    public ComputationPool? Computations { get; set; }

    public void SendIke(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> message) =>
        dataPlane.SendIke(local, remote, message, natTraversalPort);

    public bool RunElsewhere(EngineComputation computation) => Computations?.TryRun(computation) == true;

    public void InstallChildSa(ChildSaInstall install)
    {
        dataPlane.Install(install);
        if (dataPlane.FindTunnel(install.Phase1) is { Template: { } template } instance && instance.Settings.AddRoute)
        {
            AddInstanceRoutes(instance.Name, template.Name, install.RemoteSelector.StartAddress, install.RemoteSelector.EndAddress);
        }
    }

    /// <summary>
    /// On the engine thread. The data plane acts on some (a failed negotiation empties the trigger queues waiting for it);
    /// then every event goes to the gateway's stream, whose subscribers return at once (the syslog forwarder queues), so
    /// this never blocks.
    /// </summary>
    public void Publish(IkeEvent e)
    {
        if (e is NegotiationFailed failure)
        {
            dataPlane.NegotiationFailed(failure);
        }

        events?.Publish(e);
    }

    public void ActivateOutbound(string phase1, string phase2, uint outboundSpi) => dataPlane.ActivateOutbound(phase1, phase2, outboundSpi);

    public void PeerEndpointMoved(IReadOnlyList<uint> inboundSpis, IPEndPoint remote) => dataPlane.MovePeer(inboundSpis, remote);

    public void RemoveChildSa(string phase1, string phase2, uint inboundSpi, uint outboundSpi) => dataPlane.Remove(phase1, phase2, inboundSpi, outboundSpi);

    public ChildSaActivity GetActivity(uint inboundSpi, uint outboundSpi) => dataPlane.Activity(inboundSpi);

    public void DialupInstanceAdded(string template, string instance) => dataPlane.AddInstance(template, instance);

    /// <summary>As a mode-cfg client: the assigned address goes on the tunnel interface, so local traffic leaves from it.</summary>
    public void AssignedAddressChanged(string phase1, IPAddress? address)
    {
        try
        {
            if (_assignedAddresses.Remove(phase1, out var previous))
            {
                NetworkConfigurator.DeleteAddress(phase1, previous, 32);
            }

            if (address is not null && dataPlane.FindTunnel(phase1) is not null)
            {
                NetworkConfigurator.AddAddress(phase1, address, 32);
                _assignedAddresses[phase1] = address;
            }
        }
        catch (NetlinkException e)
        {
            Console.Error.WriteLine($"ike 0:{phase1}: mode-cfg address {address} on the tunnel interface: {e.Message}");
        }
    }

    public void DialupInstanceRemoved(string template, string instance)
    {
        if (_instanceRoutes.Remove(instance, out var routes))
        {
            foreach (var (destination, prefix, device) in routes)
            {
                try
                {
                    NetworkConfigurator.DeleteRoute(destination, prefix, device);
                }
                catch (NetlinkException)
                {
                    // Gone already (the interface went away, or an administrator removed it).
                }
            }
        }

        dataPlane.RemoveInstance(template, instance);
    }

    /// <summary>Every route still installed for dial-up instances (removed on shutdown).</summary>
    public IEnumerable<(IPAddress Destination, int Prefix, string Device)> InstanceRoutes => _instanceRoutes.Values.SelectMany(r => r);

    private void AddInstanceRoutes(string instance, string device, IPAddress start, IPAddress end)
    {
        if (!_instanceRoutes.TryGetValue(instance, out var routes))
        {
            routes = [];
            _instanceRoutes[instance] = routes;
        }

        foreach (var (destination, prefix) in Ipv4Math.CoveringPrefixes(start, end))
        {
            // 0.0.0.0/0 from a peer that proposed everything would take over the gateway's default route: never add it.
            if (prefix == 0 || !routes.Add((destination, prefix, device)))
            {
                continue;
            }

            try
            {
                NetworkConfigurator.AddRoute(destination, prefix, device);
            }
            catch (NetlinkException e)
            {
                routes.Remove((destination, prefix, device));
                Console.Error.WriteLine($"ike 0:{instance}: add-route {destination}/{prefix} dev {device} failed: {e.Message}");
            }
        }
    }
}
