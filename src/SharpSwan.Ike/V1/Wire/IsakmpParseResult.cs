namespace SharpSwan.Ike.V1.Wire;

/// <summary>
/// Outcome of <see cref="IsakmpCodec.Decode"/>: a message, an encrypted body still to be decrypted (E flag), or an
/// error with a secret-free detail. The header is present whenever the datagram held 28 octets.
/// </summary>
public readonly struct IsakmpParseResult
{
    private readonly string? _detail;

    private IsakmpParseResult(IsakmpHeader? header, IsakmpMessage? message, ReadOnlyMemory<byte> ciphertext, IsakmpParseError error, IsakmpPayloadType? offending, string? detail)
    {
        Header = header;
        Message = message;
        Ciphertext = ciphertext;
        Error = error;
        OffendingPayload = offending;
        _detail = detail;
    }

    public bool Success => Error == IsakmpParseError.None;

    /// <summary>True for a well-formed encrypted message: decrypt <see cref="Ciphertext"/>, then call <see cref="IsakmpCodec.DecodeDecrypted"/>.</summary>
    public bool NeedsDecryption => Success && Message is null;

    public IsakmpHeader? Header { get; }

    public IsakmpMessage? Message { get; }

    /// <summary>The octets after the header of an encrypted message (a private copy).</summary>
    public ReadOnlyMemory<byte> Ciphertext { get; }

    public IsakmpParseError Error { get; }

    public IsakmpPayloadType? OffendingPayload { get; }

    public string Detail => _detail ?? string.Empty;

    public static IsakmpParseResult Ok(IsakmpMessage message) => new(message.Header, message, default, IsakmpParseError.None, null, null);

    public static IsakmpParseResult Encrypted(IsakmpHeader header, ReadOnlyMemory<byte> ciphertext) =>
        new(header, null, ciphertext, IsakmpParseError.None, null, null);

    public static IsakmpParseResult Fail(IsakmpParseError error, string detail, IsakmpHeader? header = null, IsakmpPayloadType? offending = null) =>
        error == IsakmpParseError.None
            ? throw new ArgumentException("A failed parse needs an error.", nameof(error))
            : new(header, null, default, error, offending, detail);

    public override string ToString() => Success ? (Message is null ? "encrypted" : $"ok: {Message}") : $"{Error}: {Detail}";
}
