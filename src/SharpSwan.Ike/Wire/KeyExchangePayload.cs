using System.Buffers.Binary;
using SharpSwan.Crypto;

namespace SharpSwan.Ike.Wire;

/// <summary>KE payload (RFC 7296 §3.4): the sender's Diffie-Hellman public value. <paramref name="Data"/> is never mutated.</summary>
public sealed record KeyExchangePayload(DiffieHellmanGroup Group, byte[] Data) : IkePayload
{
    private const int FixedLength = 4;

    public override PayloadType Type => PayloadType.KeyExchange;

    internal override int BodyLength => FixedLength + Data.Length;

    internal override void WriteBody(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)Group);
        destination[2] = 0;
        destination[3] = 0;
        Data.CopyTo(destination[FixedLength..]);
    }

    internal static KeyExchangePayload? TryDecode(ReadOnlySpan<byte> body, out string? error)
    {
        if (body.Length < FixedLength)
        {
            error = "KE payload shorter than its 4 fixed octets";
            return null;
        }

        error = null;
        return new KeyExchangePayload((DiffieHellmanGroup)BinaryPrimitives.ReadUInt16BigEndian(body), body[FixedLength..].ToArray());
    }

    public override string ToString() => $"KE({Group}, {Data.Length} bytes)";
}
