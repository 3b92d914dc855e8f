using System.Net;

namespace SharpSwan.Simulation;

/// <summary>
/// One datagram on the simulated wire. UDP carries IKE (500, 4500) and ESP-in-UDP (4500); raw ESP (IP protocol 50)
/// has no ports, so it travels with port 0 on both ends.
/// </summary>
public sealed record SimulatedDatagram(IPEndPoint Source, IPEndPoint Destination, byte[] Payload)
{
    public const int RawEspPort = 0;

    public bool IsRawEsp => Destination.Port == RawEspPort;

    public override string ToString() => $"{Source}->{Destination} {Payload.Length} bytes";
}
