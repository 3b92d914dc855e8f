using System.Buffers.Binary;

namespace SharpSwan.Ike.Wire;

/// <summary>CP payload (RFC 7296 §3.15).</summary>
public sealed record ConfigurationPayload(ConfigurationType ConfigType, IReadOnlyList<ConfigurationAttribute> Attributes) : IkePayload
{
    private const int FixedLength = 4;

    // The top bit of the attribute type is RESERVED (RFC 7296 §3.15.1).
    private const ushort AttributeTypeMask = 0x7FFF;

    public override PayloadType Type => PayloadType.Configuration;

    internal override int BodyLength
    {
        get
        {
            int length = FixedLength;
            foreach (var attribute in Attributes)
            {
                length += attribute.EncodedLength;
            }

            return length;
        }
    }

    internal override void WriteBody(Span<byte> destination)
    {
        destination[0] = (byte)ConfigType;
        destination[1..FixedLength].Clear();
        int offset = FixedLength;
        foreach (var attribute in Attributes)
        {
            if (attribute.AttributeType > AttributeTypeMask || attribute.Value.Length > ushort.MaxValue)
            {
                throw new ArgumentException("Configuration attribute type or value length out of range.");
            }

            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], attribute.AttributeType);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], (ushort)attribute.Value.Length);
            attribute.Value.CopyTo(destination[(offset + ConfigurationAttribute.HeaderLength)..]);
            offset += attribute.EncodedLength;
        }
    }

    internal static ConfigurationPayload? TryDecode(ReadOnlySpan<byte> body, out string? error)
    {
        if (body.Length < FixedLength)
        {
            error = "CP payload shorter than its 4 fixed octets";
            return null;
        }

        var attributes = new List<ConfigurationAttribute>();
        var remaining = body[FixedLength..];
        while (!remaining.IsEmpty)
        {
            if (remaining.Length < ConfigurationAttribute.HeaderLength)
            {
                error = "configuration attribute shorter than 4 octets";
                return null;
            }

            ushort type = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(remaining) & AttributeTypeMask);
            int length = BinaryPrimitives.ReadUInt16BigEndian(remaining[2..]);
            if (ConfigurationAttribute.HeaderLength + length > remaining.Length)
            {
                error = $"configuration attribute {type} overruns the CP payload";
                return null;
            }

            attributes.Add(new ConfigurationAttribute(type, remaining.Slice(ConfigurationAttribute.HeaderLength, length).ToArray()));
            remaining = remaining[(ConfigurationAttribute.HeaderLength + length)..];
        }

        error = null;
        return new ConfigurationPayload((ConfigurationType)body[0], attributes);
    }

    public override string ToString() => $"CP({ConfigType}: {string.Join(", ", Attributes)})";
}
