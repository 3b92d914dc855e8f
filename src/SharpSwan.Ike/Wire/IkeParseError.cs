namespace SharpSwan.Ike.Wire;

/// <summary>Why <see cref="IkeMessageCodec.Decode"/> rejected a datagram.</summary>
public enum IkeParseError
{
    None,

    /// <summary>The datagram ends before the header, a payload header or a payload the chain announces.</summary>
    Truncated,

    /// <summary>A length field disagrees with the data: header length vs. datagram size, payload length below 4, trailing octets.</summary>
    InvalidLength,

    /// <summary>The header's major version is not 2; the engine may answer INVALID_MAJOR_VERSION.</summary>
    UnsupportedMajorVersion,

    /// <summary>A known payload's internal structure is wrong (see <see cref="IkeParseResult.OffendingPayload"/>).</summary>
    MalformedPayload,

    /// <summary>An unknown payload type arrived with the critical bit set (RFC 7296 §2.5).</summary>
    UnsupportedCriticalPayload,

    /// <summary>The message has an Encrypted payload but no keys were supplied.</summary>
    MissingProtector,

    /// <summary>The Encrypted payload failed its integrity check or authenticated decryption.</summary>
    IntegrityCheckFailed,

    /// <summary>The decrypted pad length does not fit inside the decrypted data.</summary>
    InvalidPadding,
}
