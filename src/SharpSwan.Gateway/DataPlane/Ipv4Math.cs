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

    /// <summary>The address of a host-order IPv4 value (as <see cref="ToUInt32"/> gives them).</summary>
    public static IPAddress FromUInt32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    /// <summary>The fewest CIDR blocks that cover an address range exactly.</summary>
    public static IEnumerable<(IPAddress Address, int PrefixLength)> CoveringPrefixes(IPAddress start, IPAddress end)
    {
        var low = (ulong)ToUInt32(start);
        var high = (ulong)ToUInt32(end);
        while (low <= high)
        {
            var size = 32;
            while (size > 0)
            {
                var block = 1UL << (33 - size);
                if (low % block != 0 || low + block - 1 > high)
                {
                    break;
                }

                size--;
            }

            yield return (FromUInt32((uint)low), size);
            low += 1UL << (32 - size);
        }
    }
}
