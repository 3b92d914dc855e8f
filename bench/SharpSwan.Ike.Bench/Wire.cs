using System.Net;
using SharpSwan.Ike.Engine;

namespace SharpSwan.Ike.Bench;

/// <summary>
/// The in-process network and host of every engine: datagrams queue here and are handed to the engine that owns the
/// destination address; no data plane (child SAs are only recorded by the engines).
/// </summary>
internal sealed class Wire
{
    private readonly Dictionary<IPAddress, IkeEngine> _engines = [];

    public Queue<(IPEndPoint From, IPEndPoint To, byte[] Bytes)> InFlight { get; } = new();

    public void Attach(IPAddress address, IkeEngine engine) => _engines[address] = engine;

    public IkeEngine? Owner(IPAddress address) => _engines.GetValueOrDefault(address);

    public IIkeEngineHost HostFor() => new Host(this);

    private sealed class Host(Wire wire) : IIkeEngineHost
    {
        public void SendIke(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> message) => wire.InFlight.Enqueue((local, remote, message.ToArray()));

        public void InstallChildSa(ChildSaInstall install)
        {
        }

        public void ActivateOutbound(string phase1, string phase2, uint outboundSpi)
        {
        }

        public void RemoveChildSa(string phase1, string phase2, uint inboundSpi, uint outboundSpi)
        {
        }

        public ChildSaActivity GetActivity(uint inboundSpi, uint outboundSpi) => default;
    }
}
