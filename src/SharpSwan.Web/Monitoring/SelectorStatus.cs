namespace SharpSwan.Web.Monitoring;

/// <summary>One phase 2 selector as the monitor shows it; the SA fields describe its newest installed SA.</summary>
/// <param name="Name">The phase2-interface name.</param>
/// <param name="IsUp">An installed SA carries this selector's traffic.</param>
/// <param name="Source">Local selector, e.g. 10.1.0.0/255.255.255.0.</param>
/// <param name="Destination">Remote selector.</param>
/// <param name="Protocol">IP protocol (0 = all).</param>
/// <param name="SourcePort">0 = all.</param>
/// <param name="DestinationPort">0 = all.</param>
/// <param name="AutoNegotiate">Configured auto-negotiate.</param>
/// <param name="Keepalive">Configured autokey keepalive.</param>
/// <param name="KeyLifeSeconds">Configured keylifeseconds.</param>
/// <param name="InboundSpi">SPI of the newest SA, inbound.</param>
/// <param name="OutboundSpi">SPI of the newest SA, outbound.</param>
/// <param name="InstalledAt">When the newest SA was installed.</param>
/// <param name="SoftExpiry">When it will be rekeyed.</param>
/// <param name="HardExpiry">When it expires.</param>
/// <param name="LastRekeyAt">When the newest SA replaced an older one, if it did.</param>
/// <param name="IncomingBytes">Bytes decrypted on this selector's SA since the last statistics reset.</param>
/// <param name="OutgoingBytes">Bytes encrypted on it since the last statistics reset.</param>
public sealed record SelectorStatus(
    string Name,
    bool IsUp,
    string Source,
    string Destination,
    int Protocol,
    int SourcePort,
    int DestinationPort,
    bool AutoNegotiate,
    bool Keepalive,
    int KeyLifeSeconds,
    uint? InboundSpi,
    uint? OutboundSpi,
    DateTimeOffset? InstalledAt,
    DateTimeOffset? SoftExpiry,
    DateTimeOffset? HardExpiry,
    DateTimeOffset? LastRekeyAt,
    long IncomingBytes,
    long OutgoingBytes);
