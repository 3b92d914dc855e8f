using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>The NAT_DETECTION_*_IP hash of RFC 7296 §2.23: SHA-1 over both SPIs, the address and the port.</summary>
internal static class NatDetection
{
    public static byte[] Hash(ulong spiI, ulong spiR, IPEndPoint endpoint)
    {
        Span<byte> data = stackalloc byte[16 + 16 + 2];
        BinaryPrimitives.WriteUInt64BigEndian(data, spiI);
        BinaryPrimitives.WriteUInt64BigEndian(data[8..], spiR);
        endpoint.Address.TryWriteBytes(data[16..], out var written);
        BinaryPrimitives.WriteUInt16BigEndian(data[(16 + written)..], (ushort)endpoint.Port);
        return SHA1.HashData(data[..(16 + written + 2)]);
    }
}
