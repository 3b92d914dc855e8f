using System.Buffers.Binary;
using System.Net;

namespace SharpSwan.Gateway.DataPlane;

public static class Ipv4Math
{
    public static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        return address.TryWriteBytes(bytes, out var written) && written == 4 ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : 0;
    }
}
