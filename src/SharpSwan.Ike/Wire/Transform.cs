using System.Buffers.Binary;

namespace SharpSwan.Ike.Wire;

/// <summary>
/// One transform substructure of a proposal (RFC 7296 §3.3.2). <paramref name="Id"/> carries the IANA
/// transform ID (cast to <c>EncryptionAlgorithm</c>, <c>PseudoRandomFunction</c>, ... as the type requires).
/// </summary>
/// <param name="KeyLength">The Key Length attribute (type 14, TV format) in bits, when present.</param>
public sealed record Transform(TransformType Type, ushort Id, ushort? KeyLength)
{
    internal const int HeaderLength = 8;
    private const ushort KeyLengthAttributeType = 14;
    private const ushort TvFormatBit = 0x8000;

    /// <summary>
    /// True when the received transform carried attributes other than Key Length. RFC 7296 §3.3.6 asks the
    /// responder to treat such a transform as unacceptable, so the engine must not select it.
    /// </summary>
    public bool HasUnknownAttributes { get; init; }

    internal int EncodedLength => HeaderLength + (KeyLength is null ? 0 : 4);

    internal void Write(Span<byte> destination, bool isLast)
    {
        destination[0] = isLast ? (byte)0 : (byte)3;
        destination[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)EncodedLength);
        destination[4] = (byte)Type;
        destination[5] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], Id);
        if (KeyLength is ushort bits)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[8..], TvFormatBit | KeyLengthAttributeType);
            BinaryPrimitives.WriteUInt16BigEndian(destination[10..], bits);
        }
    }

    /// <summary>Decodes one transform whose length field has already been checked to cover exactly <paramref name="data"/>.</summary>
    internal static Transform? TryDecode(ReadOnlySpan<byte> data, out string? error)
    {
        var type = (TransformType)data[4];
        ushort id = BinaryPrimitives.ReadUInt16BigEndian(data[6..]);
        ushort? keyLength = null;
        bool unknownAttributes = false;

        var attributes = data[HeaderLength..];
        while (!attributes.IsEmpty)
        {
            if (attributes.Length < 4)
            {
                error = "transform attribute shorter than 4 octets";
                return null;
            }

            ushort rawType = BinaryPrimitives.ReadUInt16BigEndian(attributes);
            ushort attributeType = (ushort)(rawType & ~TvFormatBit);
            bool isTv = (rawType & TvFormatBit) != 0;
            int attributeLength;
            if (isTv)
            {
                attributeLength = 4;
                if (attributeType == KeyLengthAttributeType && keyLength is null)
                {
                    keyLength = BinaryPrimitives.ReadUInt16BigEndian(attributes[2..]);
                }
                else
                {
                    unknownAttributes = true;
                }
            }
            else
            {
                attributeLength = 4 + BinaryPrimitives.ReadUInt16BigEndian(attributes[2..]);
                if (attributeLength > attributes.Length)
                {
                    error = "transform attribute overruns its transform";
                    return null;
                }

                // Key Length is defined only in TV format; a TLV encoding of it is as foreign as any unknown attribute.
                unknownAttributes = true;
            }

            attributes = attributes[attributeLength..];
        }

        error = null;
        return new Transform(type, id, keyLength) { HasUnknownAttributes = unknownAttributes };
    }

    public override string ToString()
    {
        string key = KeyLength is ushort bits ? $"/{bits}" : string.Empty;
        string unknown = HasUnknownAttributes ? " (unknown attributes)" : string.Empty;
        return $"{Type}:{Id}{key}{unknown}";
    }
}
