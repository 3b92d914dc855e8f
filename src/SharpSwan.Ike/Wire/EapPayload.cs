using System.Buffers.Binary;

namespace SharpSwan.Ike.Wire;

/// <summary>EAP payload (RFC 7296 §3.16): one complete EAP message (RFC 3748). <paramref name="Data"/> is never mutated.</summary>
public sealed record EapPayload(byte[] Data) : IkePayload
{
    private const int EapHeaderLength = 4;

    public override PayloadType Type => PayloadType.Eap;

    internal override int BodyLength => Data.Length;

    internal override void WriteBody(Span<byte> destination) => Data.CopyTo(destination);

    internal static EapPayload? TryDecode(ReadOnlySpan<byte> body, out string? error)
    {
        if (body.Length < EapHeaderLength)
        {
            error = "EAP payload shorter than an EAP header";
            return null;
        }

        int eapLength = BinaryPrimitives.ReadUInt16BigEndian(body[2..]);
        if (eapLength != body.Length)
        {
            error = $"EAP length {eapLength} disagrees with payload body of {body.Length} octets";
            return null;
        }

        error = null;
        return new EapPayload(body.ToArray());
    }

    public override string ToString() => $"EAP({Data.Length} bytes)";
}
