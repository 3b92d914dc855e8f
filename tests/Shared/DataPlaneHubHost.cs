using System.Net;
using SharpSwan.Esp.Core;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Events;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;

namespace SharpSwan.Testing;

/// <summary>
/// A <see cref="DialupTriangle"/> hub's host wired like GatewayService's: IKE through the in-memory network, SAs and
/// dial-up instances into a real data plane, typed events into <paramref name="stream"/> when one is given.
/// </summary>
public sealed class DataPlaneHubHost(DialupTriangle triangle, EspDataPlane dataPlane, GatewayEvents? stream = null) : IIkeEngineHost
{
    public void SendIke(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> message) => triangle.Send(local, remote, message);

    public void InstallChildSa(ChildSaInstall install) => dataPlane.Install(install);

    public void ActivateOutbound(string phase1, string phase2, uint outboundSpi) => dataPlane.ActivateOutbound(phase1, phase2, outboundSpi);

    public void RemoveChildSa(string phase1, string phase2, uint inboundSpi, uint outboundSpi) => dataPlane.Remove(phase1, phase2, inboundSpi, outboundSpi);

    public ChildSaActivity GetActivity(uint inboundSpi, uint outboundSpi) => dataPlane.Activity(inboundSpi);

    public void DialupInstanceAdded(string template, string instance) => dataPlane.AddInstance(template, instance);

    public void DialupInstanceRemoved(string template, string instance) => dataPlane.RemoveInstance(template, instance);

    public void Publish(IkeEvent e) => stream?.Publish(e);
}
