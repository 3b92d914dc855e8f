using System.Net;
using System.Text;

namespace SharpSwan.Ike.Wire;

/// <summary>IDi / IDr payload (RFC 7296 §3.5). <paramref name="Data"/> is never mutated.</summary>
public sealed record IdentificationPayload(bool IsInitiator, IdType IdType, byte[] Data) : IkePayload
{
    private const int FixedLength = 4;

    public override PayloadType Type => IsInitiator ? PayloadType.IdInitiator : PayloadType.IdResponder;

    internal override int BodyLength => FixedLength + Data.Length;

    /// <summary>
    /// The payload body after the generic header (ID Type, three RESERVED zero octets, identification data):
    /// the octets that RFC 7296 §2.15 feeds into prf(SK_p, IDx') when computing AUTH.
    /// </summary>
    public byte[] GetAuthenticatedBody()
    {
        var body = new byte[BodyLength];
        WriteBody(body);
        return body;
    }

    internal override void WriteBody(Span<byte> destination)
    {
        destination[0] = (byte)IdType;
        destination[1..FixedLength].Clear();
        Data.CopyTo(destination[FixedLength..]);
    }

    internal static IdentificationPayload? TryDecode(bool isInitiator, ReadOnlySpan<byte> body, out string? error)
    {
        if (body.Length < FixedLength)
        {
            error = "ID payload shorter than its 4 fixed octets";
            return null;
        }

        error = null;
        return new IdentificationPayload(isInitiator, (IdType)body[0], body[FixedLength..].ToArray());
    }

    public override string ToString()
    {
        string name = IsInitiator ? "IDi" : "IDr";
        return $"{name}({IdType}: {DescribeData()})";
    }

    private string DescribeData() => IdType switch
    {
        IdType.Ipv4Address when Data.Length == 4 => new IPAddress(Data).ToString(),
        IdType.Ipv6Address when Data.Length == 16 => new IPAddress(Data).ToString(),
        IdType.Fqdn or IdType.Rfc822Address => Printable(Data),
        _ => $"{Data.Length} bytes",
    };

    // Identities come from the peer: keep log lines single-line and ASCII.
    private static string Printable(byte[] data)
    {
        var text = new StringBuilder(data.Length);
        foreach (byte b in data)
        {
            text.Append(b is >= 0x20 and < 0x7F ? (char)b : '?');
        }

        return text.ToString();
    }
}
