namespace SharpSwan.Crypto;

/// <summary>
/// The high-order 32 bits of an ESP extended sequence number (RFC 4303 §2.2.1), which a packet protector
/// authenticates but which are never sent; <see cref="None"/> for an SA with 32-bit sequence numbers.
/// </summary>
public readonly record struct SequenceHigh(bool Present, uint Value)
{
    /// <summary>The four octets the high-order bits take in the AAD or after the ciphertext.</summary>
    public const int Length = 4;

    /// <summary>An ESP header (SPI, low-order sequence number): the only header ESN applies to.</summary>
    public const int EspHeaderLength = 8;

    public static SequenceHigh None => default;

    public static SequenceHigh Of(uint value) => new(true, value);
}
