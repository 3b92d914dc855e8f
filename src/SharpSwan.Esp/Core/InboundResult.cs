namespace SharpSwan.Esp.Core;

/// <summary>What became of one received ESP packet.</summary>
public enum InboundResult
{
    /// <summary>Decrypted, inside the negotiated selectors: the inner IPv4 packet may be forwarded.</summary>
    Delivered,

    /// <summary>Shorter than an ESP header.</summary>
    TooShort,

    /// <summary>No installed SA has this SPI (deleted, or from before a restart).</summary>
    UnknownSpi,

    /// <summary>The replay window refused it (a duplicate or too old).</summary>
    Replayed,

    /// <summary>Authentication failed, malformed, or not an IPv4 packet inside.</summary>
    Invalid,

    /// <summary>Decrypted fine but outside the negotiated selectors (RFC 4301 inbound policy check).</summary>
    OutsideSelectors,

    /// <summary>
    /// The SPI belongs to an SA negotiated on another transport (raw ESP vs UDP-encapsulated) or local address: refused
    /// before any decryption, so no second receive thread ever touches the SA.
    /// </summary>
    WrongTransport,
}
