using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Events;

/// <summary>A child SA pair went into the data plane (log: <c>added IPsec SA: SPIs=in/out proposal ...</c>).</summary>
public sealed record ChildSaInstalled : ChildSaEvent
{
    /// <summary>The ESP proposal as FortiOS names it (e.g. aes256gcm).</summary>
    public required string Proposal { get; init; }

    /// <summary>The PFS Diffie-Hellman group of the exchange; 0 without PFS.</summary>
    public required int PfsGroup { get; init; }

    public required IkeRole Role { get; init; }

    /// <summary>For a rekey: the inbound SPI of the SA this one replaces; null for a new SA.</summary>
    public uint? RekeyOf { get; init; }

    public required TrafficSelector LocalSelector { get; init; }

    public required TrafficSelector RemoteSelector { get; init; }

    /// <summary>Whether the new SA carries outbound traffic at once (a responder's rekey waits for the peer to switch).</summary>
    public required bool OutboundActive { get; init; }

    public bool IsRekey => RekeyOf is not null;
}
