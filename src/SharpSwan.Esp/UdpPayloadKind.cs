namespace SharpSwan.Esp;

/// <summary>What a datagram received on UDP port 4500 carries (RFC 3948 section 2).</summary>
public enum UdpPayloadKind
{
    /// <summary>An IKE message behind the 4-byte non-ESP marker.</summary>
    Ike,

    /// <summary>An ESP packet: the first four bytes are its non-zero SPI.</summary>
    Esp,

    /// <summary>A NAT-keepalive: the single byte 0xFF.</summary>
    NatKeepalive,

    /// <summary>Anything else; drop it.</summary>
    Invalid,
}
