namespace SharpSwan.Ike.Events;

/// <summary>A new IKE SA finished IKE_AUTH (log: <c>established IKE SA ...</c>). Rekeys publish <see cref="IkeSaRekeyed"/> instead.</summary>
public sealed record IkeSaEstablished : IkeEvent
{
    public required IkeRole Role { get; init; }

    public required ulong InitiatorSpi { get; init; }

    public required ulong ResponderSpi { get; init; }

    /// <summary>The chosen IKE proposal as FortiOS names it (e.g. aes256gcm-prfsha384).</summary>
    public required string Proposal { get; init; }

    public required int DhGroup { get; init; }

    /// <summary>IKE and ESP run over UDP 4500.</summary>
    public required bool NatTraversal { get; init; }

    public required string PeerIdentity { get; init; }

    /// <summary>SPIs (<c>i/r</c>) of an older IKE SA of this tunnel that this one replaced (peer restart or reconnect); null if none.</summary>
    public string? Replaces { get; init; }

    /// <summary>The SPI pair as the log and FortiOS's cookies show it: <c>initiator/responder</c> in hex.</summary>
    public string Spis => $"{InitiatorSpi:x16}/{ResponderSpi:x16}";
}
