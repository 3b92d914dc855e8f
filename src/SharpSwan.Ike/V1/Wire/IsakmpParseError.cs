namespace SharpSwan.Ike.V1.Wire;

/// <summary>Why <see cref="IsakmpCodec"/> rejected a datagram.</summary>
public enum IsakmpParseError
{
    None,

    /// <summary>The datagram ends before the header, a payload header or a payload the chain announces.</summary>
    Truncated,

    /// <summary>A length field disagrees with the data.</summary>
    InvalidLength,

    /// <summary>The header's major version is not 1.</summary>
    UnsupportedMajorVersion,

    /// <summary>A known payload's internal structure is wrong (see <see cref="IsakmpParseResult.OffendingPayload"/>).</summary>
    MalformedPayload,

    /// <summary>The E flag is set but the encrypted body is not a whole number of cipher blocks.</summary>
    InvalidEncryptedLength,

    /// <summary>An encrypted message arrived where no phase-1 keys exist, or a plain one where keys are required.</summary>
    UnexpectedProtection,
}
