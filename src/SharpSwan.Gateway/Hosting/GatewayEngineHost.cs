using System.Net;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Ike.Engine;

namespace SharpSwan.Gateway.Hosting;

/// <summary>Connects the engine's requests to the real sockets and the user-space ESP data plane.</summary>
public sealed class GatewayEngineHost(EspDataPlane dataPlane, int natTraversalPort) : IIkeEngineHost
{
    public void SendIke(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> message) =>
        dataPlane.SendIke(local, remote, message, natTraversalPort);

    public void InstallChildSa(ChildSaInstall install) => dataPlane.Install(install);

    public void ActivateOutbound(string phase1, string phase2, uint outboundSpi) => dataPlane.ActivateOutbound(phase1, phase2, outboundSpi);

    public void RemoveChildSa(string phase1, string phase2, uint inboundSpi, uint outboundSpi) => dataPlane.Remove(phase1, phase2, inboundSpi, outboundSpi);

    public ChildSaActivity GetActivity(uint inboundSpi, uint outboundSpi) => dataPlane.Activity(inboundSpi);
}
