namespace SharpSwan.Ike.Wire;

/// <summary>Outcome of <see cref="IkeMessageCodec.Decode"/>: either a message or an error with a human-readable, secret-free detail.</summary>
public readonly struct IkeParseResult
{
    private readonly string? _detail;

    private IkeParseResult(IkeMessage? message, IkeHeader? header, IkeParseError error, PayloadType? offendingPayload, string detail, bool verified)
    {
        Message = message;
        Header = header;
        Error = error;
        OffendingPayload = offendingPayload;
        _detail = detail;
        Verified = verified;
    }

    public bool Success => Error == IkeParseError.None && Message is not null;

    public IkeMessage? Message { get; }

    /// <summary>
    /// The header whenever the datagram held at least 28 octets, also on failure, so that the engine can
    /// address an error notification (INVALID_SYNTAX, INVALID_MAJOR_VERSION) to the right SA and message ID.
    /// </summary>
    public IkeHeader? Header { get; }

    public IkeParseError Error { get; }

    /// <summary>The payload type at fault for <see cref="IkeParseError.MalformedPayload"/> and <see cref="IkeParseError.UnsupportedCriticalPayload"/>.</summary>
    public PayloadType? OffendingPayload { get; }

    public string Detail => _detail ?? string.Empty;

    /// <summary>
    /// The Encrypted payload passed its integrity check: true for a protected message, and for a failure found only inside
    /// the verified plaintext (an unsupported critical payload), which the peer really sent and may be answered.
    /// </summary>
    public bool Verified { get; }

    public static IkeParseResult Ok(IkeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new IkeParseResult(message, message.Header, IkeParseError.None, null, string.Empty, message.WasProtected);
    }

    public static IkeParseResult Fail(IkeParseError error, string detail, IkeHeader? header = null, PayloadType? offendingPayload = null)
    {
        if (error == IkeParseError.None)
        {
            throw new ArgumentException("A failed parse needs an error.", nameof(error));
        }

        return new IkeParseResult(null, header, error, offendingPayload, detail, verified: false);
    }

    /// <summary>This failure was found inside an Encrypted payload that had already verified.</summary>
    internal IkeParseResult AfterVerification() => new(Message, Header, Error, OffendingPayload, Detail, verified: true);

    public override string ToString() => Success ? $"ok: {Message}" : $"{Error}: {Detail}";
}
