namespace SharpSwan.Esp;

/// <summary>
/// RFC 3948 framing on UDP port 4500, where IKE and ESP share one socket. ESP starts with its SPI, which is never
/// zero, so IKE is prefixed with four zero bytes (the non-ESP marker) to tell the two apart.
/// </summary>
public static class UdpEncapsulation
{
    /// <summary>Length of the non-ESP marker that precedes IKE messages on port 4500.</summary>
    public const int NonEspMarkerLength = 4;

    /// <summary>The only byte of a NAT-keepalive datagram.</summary>
    public const byte NatKeepaliveByte = 0xFF;

    /// <summary>ESP needs at least its SPI and sequence number.</summary>
    public const int MinimumEspLength = 8;

    /// <summary>
    /// Decides what <paramref name="datagram"/> carries. A marker with nothing after it, runts (1-7 bytes other than a
    /// keepalive) and the empty datagram are <see cref="UdpPayloadKind.Invalid"/>. Never throws.
    /// </summary>
    public static UdpPayloadKind Classify(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length == 1)
        {
            return datagram[0] == NatKeepaliveByte ? UdpPayloadKind.NatKeepalive : UdpPayloadKind.Invalid;
        }

        if (datagram.Length < NonEspMarkerLength)
        {
            return UdpPayloadKind.Invalid;
        }

        bool startsWithMarker = datagram[..NonEspMarkerLength].IndexOfAnyExcept((byte)0) < 0;
        if (startsWithMarker)
        {
            return datagram.Length > NonEspMarkerLength ? UdpPayloadKind.Ike : UdpPayloadKind.Invalid;
        }

        return datagram.Length >= MinimumEspLength ? UdpPayloadKind.Esp : UdpPayloadKind.Invalid;
    }

    /// <summary>The IKE message inside a datagram that <see cref="Classify"/> called <see cref="UdpPayloadKind.Ike"/>.</summary>
    public static ReadOnlySpan<byte> GetIkeMessage(ReadOnlySpan<byte> datagram) =>
        datagram.Length > NonEspMarkerLength ? datagram[NonEspMarkerLength..] : ReadOnlySpan<byte>.Empty;

    /// <summary>Writes the four zero bytes that must precede an IKE message sent on port 4500.</summary>
    /// <returns><see cref="NonEspMarkerLength"/>.</returns>
    public static int WriteNonEspMarker(Span<byte> destination)
    {
        if (destination.Length < NonEspMarkerLength)
        {
            throw new ArgumentException($"Need {NonEspMarkerLength} bytes for the non-ESP marker, got {destination.Length}.", nameof(destination));
        }

        destination[..NonEspMarkerLength].Clear();
        return NonEspMarkerLength;
    }

    /// <summary>Writes a NAT-keepalive datagram (RFC 3948 section 2.3).</summary>
    /// <returns>1.</returns>
    public static int WriteNatKeepalive(Span<byte> destination)
    {
        if (destination.IsEmpty)
        {
            throw new ArgumentException("Need 1 byte for a NAT-keepalive.", nameof(destination));
        }

        destination[0] = NatKeepaliveByte;
        return 1;
    }
}
