using System.Buffers.Binary;
using System.Net;

namespace SharpSwan.Esp.Core;

/// <summary>
/// Where an ESP packet arrived: its transport and the local IPv4 address it was sent to. An inbound SA takes packets only
/// from the transport and address it was negotiated on, so one receive thread, never two, decrypts on it.
/// </summary>
public readonly record struct EspArrival(EspTransport Transport, uint LocalAddress)
{
    public static EspArrival Raw(IPAddress local) => new(EspTransport.Raw, ToUInt32(local));

    public static EspArrival Udp(IPAddress local) => new(EspTransport.UdpEncapsulated, ToUInt32(local));

    /// <summary>The transport and local address an SA negotiated on expects its packets from.</summary>
    public static EspArrival For(bool udpEncapsulated, IPAddress local) => udpEncapsulated ? Udp(local) : Raw(local);

    private static uint ToUInt32(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written) || written != 4)
        {
            // Not IPv4 (the data plane carries IPv4 only): matches no SA.
            return 0;
        }

        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }
}
