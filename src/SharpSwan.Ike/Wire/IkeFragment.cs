namespace SharpSwan.Ike.Wire;

/// <summary>
/// Outcome of <see cref="IkeFragmentCodec.Decode"/>: one verified and decrypted fragment, or an error with a secret-free
/// detail. <see cref="Verified"/> says whether the SKF payload passed its integrity check, so a caller can tell a forgery
/// (or noise) from a malformed fragment the key holder really sent.
/// </summary>
public sealed class IkeFragment
{
    private IkeFragment(IkeHeader? header, IkeParseError error, string detail, bool verified)
    {
        Header = header;
        Error = error;
        Detail = detail;
        Verified = verified;
    }

    public bool Success => Error == IkeParseError.None;

    public IkeParseError Error { get; }

    public string Detail { get; }

    /// <summary>The SKF payload passed its integrity check (always true on success).</summary>
    public bool Verified { get; }

    /// <summary>The IKE header whenever the datagram held one, also on failure.</summary>
    public IkeHeader? Header { get; }

    /// <summary>Fragment Number, from 1.</summary>
    public ushort Number { get; private init; }

    /// <summary>Total Fragments of the message this fragment belongs to.</summary>
    public ushort Total { get; private init; }

    /// <summary>The first inner payload's type: set in fragment 1 only, None in the others (RFC 7383 §2.5).</summary>
    public PayloadType FirstPayload { get; private init; }

    /// <summary>The decrypted part of the inner payload chain, padding removed.</summary>
    public ReadOnlyMemory<byte> Content { get; private init; }

    internal static IkeFragment Ok(IkeHeader header, ushort number, ushort total, PayloadType first, ReadOnlyMemory<byte> content) =>
        new(header, IkeParseError.None, string.Empty, verified: true) { Number = number, Total = total, FirstPayload = first, Content = content };

    internal static IkeFragment Fail(IkeParseError error, string detail, IkeHeader? header = null, bool verified = false) =>
        new(header, error, detail, verified);

    public override string ToString() => Success ? $"fragment {Number}/{Total} of {Header}, {Content.Length} octets" : $"{Error}: {Detail}";
}
