namespace SharpSwan.Ike.Wire;

/// <summary>AUTH payload (RFC 7296 §3.8). <paramref name="Data"/> is never mutated and never printed.</summary>
public sealed record AuthenticationPayload(AuthMethod Method, byte[] Data) : IkePayload
{
    private const int FixedLength = 4;

    public override PayloadType Type => PayloadType.Authentication;

    internal override int BodyLength => FixedLength + Data.Length;

    internal override void WriteBody(Span<byte> destination)
    {
        destination[0] = (byte)Method;
        destination[1..FixedLength].Clear();
        Data.CopyTo(destination[FixedLength..]);
    }

    internal static AuthenticationPayload? TryDecode(ReadOnlySpan<byte> body, out string? error)
    {
        if (body.Length < FixedLength)
        {
            error = "AUTH payload shorter than its 4 fixed octets";
            return null;
        }

        error = null;
        return new AuthenticationPayload((AuthMethod)body[0], body[FixedLength..].ToArray());
    }

    public override string ToString() => $"AUTH({Method}, {Data.Length} bytes)";
}
