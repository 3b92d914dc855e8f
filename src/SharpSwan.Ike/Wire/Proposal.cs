using System.Buffers.Binary;

namespace SharpSwan.Ike.Wire;

/// <summary>
/// One proposal substructure of an SA payload (RFC 7296 §3.3.1). <paramref name="Spi"/> is empty for the
/// IKE SA during IKE_SA_INIT, 8 octets when rekeying an IKE SA and 4 octets for ESP/AH; it is never mutated.
/// </summary>
public sealed record Proposal(byte Number, ProtocolId Protocol, byte[] Spi, IReadOnlyList<Transform> Transforms)
{
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
        if (Spi.Length > byte.MaxValue || Transforms.Count > byte.MaxValue)
        {
            throw new ArgumentException("A proposal holds at most 255 SPI octets and 255 transforms.");
        }

        int length = EncodedLength;
        destination[0] = isLast ? (byte)0 : (byte)2;
        destination[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)length);
        destination[4] = Number;
        destination[5] = (byte)Protocol;
        destination[6] = (byte)Spi.Length;
        destination[7] = (byte)Transforms.Count;
        Spi.CopyTo(destination[HeaderLength..]);

        int offset = HeaderLength + Spi.Length;
        for (int i = 0; i < Transforms.Count; i++)
        {
            var transform = Transforms[i];
            transform.Write(destination[offset..], isLast: i == Transforms.Count - 1);
            offset += transform.EncodedLength;
        }
    }

    /// <summary>Decodes one proposal whose length field has already been checked to cover exactly <paramref name="data"/>.</summary>
    internal static Proposal? TryDecode(ReadOnlySpan<byte> data, out string? error)
    {
        byte number = data[4];
        var protocol = (ProtocolId)data[5];
        int spiSize = data[6];
        int transformCount = data[7];

        if (HeaderLength + spiSize > data.Length)
        {
            error = "proposal SPI overruns the proposal";
            return null;
        }

        byte[] spi = data.Slice(HeaderLength, spiSize).ToArray();
        var transforms = new List<Transform>(transformCount);
        var remaining = data[(HeaderLength + spiSize)..];
        while (!remaining.IsEmpty)
        {
            if (remaining.Length < Transform.HeaderLength)
            {
                error = "transform shorter than 8 octets";
                return null;
            }

            byte lastFlag = remaining[0];
            int length = BinaryPrimitives.ReadUInt16BigEndian(remaining[2..]);
            if (length < Transform.HeaderLength || length > remaining.Length)
            {
                error = $"transform length {length} invalid ({remaining.Length} octets left in proposal)";
                return null;
            }

            bool isLast = length == remaining.Length;
            if (lastFlag != (isLast ? 0 : 3))
            {
                error = "transform 'last substructure' flag disagrees with the proposal length";
                return null;
            }

            var transform = Transform.TryDecode(remaining[..length], out error);
            if (transform is null)
            {
                return null;
            }

            transforms.Add(transform);
            remaining = remaining[length..];
        }

        if (transforms.Count != transformCount)
        {
            error = $"proposal announces {transformCount} transforms but holds {transforms.Count}";
            return null;
        }

        error = null;
        return new Proposal(number, protocol, spi, transforms);
    }

    public override string ToString() =>
        $"#{Number} {Protocol} spi={Convert.ToHexStringLower(Spi)} [{string.Join(", ", Transforms)}]";
}
