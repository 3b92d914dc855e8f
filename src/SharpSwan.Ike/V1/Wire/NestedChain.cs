using System.Buffers.Binary;

namespace SharpSwan.Ike.V1.Wire;

/// <summary>Splits proposals and transforms, which carry their own generic headers, off the SA payload body.</summary>
internal static class NestedChain
{
    /// <summary>
    /// Takes the next substructure (generic header included) off <paramref name="rest"/>; an empty span with an
    /// error when its length is below <paramref name="minimum"/> or overruns what is left.
    /// </summary>
    public static ReadOnlySpan<byte> TryTake(ref ReadOnlySpan<byte> rest, int minimum, out string? error)
    {
        if (rest.Length < minimum)
        {
            error = $"substructure of {rest.Length} octets is shorter than {minimum}";
            return default;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
        if (length < minimum || length > rest.Length)
        {
            error = $"substructure length {length} with {rest.Length} octets left";
            return default;
        }

        var taken = rest[..length];
        rest = rest[length..];
        error = null;
        return taken;
    }
}
