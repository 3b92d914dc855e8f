using System.Buffers.Binary;
using System.Net;
using SharpSwan.Ike.V1.Keys;

namespace SharpSwan.Ike.V1.NatTraversal;

/// <summary>NAT-D hash of RFC 3947 §3.2: HASH(CKY-I | CKY-R | IP | Port) with the negotiated phase-1 hash.</summary>
public static class NatDiscoveryHash
{
    public static byte[] Compute(Phase1HashAlgorithm hash, ulong cookieI, ulong cookieR, IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        Span<byte> cookies = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(cookies, cookieI);
        BinaryPrimitives.WriteUInt64BigEndian(cookies[8..], cookieR);
        byte[] address = endPoint.Address.GetAddressBytes();
        var tail = new byte[address.Length + 2];
        address.CopyTo(tail, 0);
        BinaryPrimitives.WriteUInt16BigEndian(tail.AsSpan(address.Length), (ushort)endPoint.Port);
        return Phase1Hash.Digest(hash, cookies, tail);
    }
}
