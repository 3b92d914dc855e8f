namespace SharpSwan.Esp;

/// <summary>Outcome of encapsulating or decapsulating one ESP packet.</summary>
public enum EspResult
{
    Ok,

    /// <summary>Too short, wrong SPI, bad block alignment, bad padding, or an inner packet that is not IPv4/IPv6.</summary>
    Malformed,

    /// <summary>The ICV did not verify.</summary>
    AuthenticationFailed,

    /// <summary>The sequence number was already seen or is left of the replay window.</summary>
    Replayed,

    /// <summary>The outbound sequence number would wrap past 2^32 - 1: the SA must be rekeyed (RFC 4303 §3.3.3).</summary>
    SequenceOverflow,

    /// <summary>The destination buffer cannot hold the ESP packet.</summary>
    BufferTooSmall,
}
