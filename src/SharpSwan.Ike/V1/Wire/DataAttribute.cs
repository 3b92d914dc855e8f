using System.Buffers.Binary;

namespace SharpSwan.Ike.V1.Wire;

/// <summary>
/// One ISAKMP data attribute (RFC 2408 §3.3): basic (TV, a 16-bit value, AF bit set) or variable (TLV).
/// The type is the raw 15-bit number; cast it to <see cref="Phase1AttributeType"/> or <see cref="IpsecAttributeType"/>.
/// </summary>
public sealed record DataAttribute
{
    private const ushort BasicFormatBit = 0x8000;

    private DataAttribute(ushort type, ushort basicValue, byte[]? variableValue)
    {
        Type = type;
        BasicValue = basicValue;
        VariableValue = variableValue;
    }

    public ushort Type { get; }

    /// <summary>The value of a basic (TV) attribute; 0 for a variable one.</summary>
    public ushort BasicValue { get; }

    /// <summary>The value octets of a variable (TLV) attribute; null for a basic one.</summary>
    public byte[]? VariableValue { get; }

    public bool IsBasic => VariableValue is null;

    internal int EncodedLength => 4 + (VariableValue?.Length ?? 0);

    public static DataAttribute Basic(ushort type, ushort value) => new(CheckType(type), value, null);

    public static DataAttribute Variable(ushort type, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > ushort.MaxValue)
        {
            throw new ArgumentException("A variable attribute holds at most 65535 octets.", nameof(value));
        }

        return new(CheckType(type), 0, value);
    }

    /// <summary>An integer (life durations): basic when it fits 16 bits, else a variable attribute of 4 octets.</summary>
    public static DataAttribute Integer(ushort type, uint value)
    {
        if (value <= ushort.MaxValue)
        {
            return Basic(type, (ushort)value);
        }

        var octets = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(octets, value);
        return Variable(type, octets);
    }

    /// <summary>Reads a basic value or a variable value of 1..8 octets as an unsigned big-endian integer.</summary>
    public bool TryGetInteger(out ulong value)
    {
        if (VariableValue is null)
        {
            value = BasicValue;
            return true;
        }

        value = 0;
        if (VariableValue.Length is 0 or > 8)
        {
            return false;
        }

        foreach (byte octet in VariableValue)
        {
            value = (value << 8) | octet;
        }

        return true;
    }

    internal void Write(Span<byte> destination)
    {
        if (VariableValue is null)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(BasicFormatBit | Type));
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], BasicValue);
            return;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, Type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)VariableValue.Length);
        VariableValue.CopyTo(destination[4..]);
    }

    /// <summary>Reads attributes until <paramref name="data"/> is used up; null with an error when one overruns it.</summary>
    internal static List<DataAttribute>? TryReadAll(ReadOnlySpan<byte> data, out string? error)
    {
        var attributes = new List<DataAttribute>();
        while (!data.IsEmpty)
        {
            if (data.Length < 4)
            {
                error = $"data attribute of {data.Length} octets is shorter than 4";
                return null;
            }

            ushort raw = BinaryPrimitives.ReadUInt16BigEndian(data);
            ushort type = (ushort)(raw & ~BasicFormatBit);
            ushort field = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
            if ((raw & BasicFormatBit) != 0)
            {
                attributes.Add(new DataAttribute(type, field, null));
                data = data[4..];
                continue;
            }

            if (4 + field > data.Length)
            {
                error = $"variable attribute {type} of {field} octets overruns its container";
                return null;
            }

            attributes.Add(new DataAttribute(type, 0, data.Slice(4, field).ToArray()));
            data = data[(4 + field)..];
        }

        error = null;
        return attributes;
    }

    private static ushort CheckType(ushort type) =>
        type < BasicFormatBit ? type : throw new ArgumentOutOfRangeException(nameof(type), "Attribute types are 15-bit numbers.");

    public override string ToString() => IsBasic ? $"{Type}={BasicValue}" : $"{Type}=({VariableValue!.Length} octets)";
}
