using System.Buffers.Binary;

namespace SharpSwan.Ike.V1.Wire;

/// <summary>
/// A proposal payload inside an SA payload (RFC 2408 §3.5): protocol (1 ISAKMP, 3 ESP), SPI (empty or the
/// cookies in phase 1, 4 octets for ESP) and transforms, of which the responder picks one.
/// </summary>
public sealed record IsakmpProposal(byte Number, byte ProtocolId, byte[] Spi, IReadOnlyList<IsakmpTransform> Transforms)
{
    public const byte ProtocolIsakmp = 1;
    public const byte ProtocolEsp = 3;
    internal const int HeaderLength = 8;

    internal int EncodedLength
    {
        get
        {
            int length = HeaderLength + Spi.Length;
            foreach (var transform in Transforms)
            {
                length += transform.EncodedLength;
            }

            return length;
        }
    }

    internal void Write(Span<byte> destination, bool isLast)
    {
        if (Transforms.Count > byte.MaxValue || Spi.Length > byte.MaxValue)
        {
            throw new ArgumentException("A proposal holds at most 255 transforms and a 255-octet SPI.");
        }

        destination[0] = isLast ? (byte)IsakmpPayloadType.None : (byte)IsakmpPayloadType.Proposal;
        destination[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], checked((ushort)EncodedLength));
        destination[4] = Number;
        destination[5] = ProtocolId;
        destination[6] = (byte)Spi.Length;
        destination[7] = (byte)Transforms.Count;
        Spi.CopyTo(destination[HeaderLength..]);
        int offset = HeaderLength + Spi.Length;
        for (int i = 0; i < Transforms.Count; i++)
        {
            Transforms[i].Write(destination[offset..], isLast: i == Transforms.Count - 1);
            offset += Transforms[i].EncodedLength;
        }
    }

    /// <summary>Decodes one proposal whose length has been checked to cover exactly <paramref name="data"/>.</summary>
    internal static IsakmpProposal? TryDecode(ReadOnlySpan<byte> data, out string? error)
    {
        int spiSize = data[6];
        int count = data[7];
        if (HeaderLength + spiSize > data.Length)
        {
            error = $"SPI of {spiSize} octets overruns the proposal";
            return null;
        }

        var transforms = new List<IsakmpTransform>(count);
        var rest = data[(HeaderLength + spiSize)..];
        for (int i = 0; i < count; i++)
        {
            var next = NestedChain.TryTake(ref rest, IsakmpTransform.HeaderLength, out error);
            if (next.IsEmpty)
            {
                return null;
            }

            bool last = i == count - 1;
            if (next[0] != (byte)(last ? IsakmpPayloadType.None : IsakmpPayloadType.Transform))
            {
                error = $"transform {i + 1} of {count} has next payload {next[0]}";
                return null;
            }

            var transform = IsakmpTransform.TryDecode(next, out error);
            if (transform is null)
            {
                return null;
            }

            transforms.Add(transform);
        }

        if (!rest.IsEmpty)
        {
            error = $"{rest.Length} octets follow the last transform";
            return null;
        }

        error = null;
        return new IsakmpProposal(data[4], data[5], data.Slice(HeaderLength, spiSize).ToArray(), transforms);
    }

    public override string ToString() =>
        $"P{Number} proto={ProtocolId} spi={Convert.ToHexStringLower(Spi)} [{string.Join("; ", Transforms)}]";
}
