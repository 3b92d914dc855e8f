using System.Buffers.Binary;

namespace SharpSwan.Ike.V1.Wire;

/// <summary>
/// A transform payload inside a proposal (RFC 2408 §3.6): transform number, transform ID (KEY_IKE = 1 in phase 1,
/// an ESP transform ID such as ESP_AES_CBC = 12 in quick mode) and its SA attributes.
/// </summary>
public sealed record IsakmpTransform(byte Number, byte TransformId, IReadOnlyList<DataAttribute> Attributes)
{
    internal const int HeaderLength = 8;

    internal int EncodedLength
    {
        get
        {
            int length = HeaderLength;
            foreach (var attribute in Attributes)
            {
                length += attribute.EncodedLength;
            }

            return length;
        }
    }

    /// <summary>The first attribute of the given class, or null.</summary>
    public DataAttribute? Find(ushort type)
    {
        foreach (var attribute in Attributes)
        {
            if (attribute.Type == type)
            {
                return attribute;
            }
        }

        return null;
    }

    internal void Write(Span<byte> destination, bool isLast)
    {
        destination[0] = isLast ? (byte)IsakmpPayloadType.None : (byte)IsakmpPayloadType.Transform;
        destination[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], checked((ushort)EncodedLength));
        destination[4] = Number;
        destination[5] = TransformId;
        destination[6] = 0;
        destination[7] = 0;
        int offset = HeaderLength;
        foreach (var attribute in Attributes)
        {
            attribute.Write(destination[offset..]);
            offset += attribute.EncodedLength;
        }
    }

    /// <summary>Decodes one transform whose length has been checked to cover exactly <paramref name="data"/>.</summary>
    internal static IsakmpTransform? TryDecode(ReadOnlySpan<byte> data, out string? error)
    {
        var attributes = DataAttribute.TryReadAll(data[HeaderLength..], out error);
        return attributes is null ? null : new IsakmpTransform(data[4], data[5], attributes);
    }

    public override string ToString() => $"#{Number} id={TransformId} [{string.Join(", ", Attributes)}]";
}
