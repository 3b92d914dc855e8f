using System.Net;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>What the data plane needs to carry a child SA. Keys are never printed.</summary>
public sealed record ChildSaInstall(
    string Phase1,
    string Phase2,
    uint InboundSpi,
    uint OutboundSpi,
    ChildSuite Suite,
    byte[] InboundEncryptionKey,
    byte[] InboundIntegrityKey,
    byte[] OutboundEncryptionKey,
    byte[] OutboundIntegrityKey,
    IPEndPoint LocalEndPoint,
    IPEndPoint RemoteEndPoint,
    bool UdpEncapsulation,
    bool ReplayProtection,
    TrafficSelector LocalSelector,
    TrafficSelector RemoteSelector,
    bool ActivateOutbound)
{
    /// <summary>We sit behind a NAT: the data plane sends NAT-T keepalives (RFC 3948 §2.3) to hold the mapping open.</summary>
    public bool LocalBehindNat { get; init; }

    /// <summary>
    /// Decrypts at once but carries no outbound traffic, even for a phase 2 without an SA, until the engine activates it:
    /// an IKEv1 responder's SA between quick mode's 2nd message and the 3rd that commits it (the initiator sends on it
    /// from the 2nd on).
    /// </summary>
    public bool HoldOutbound { get; init; }

    /// <summary>Seconds between NAT-T keepalives (phase 1 `keepalive`).</summary>
    public int NatKeepaliveSeconds { get; init; } = 10;

    public override string ToString() =>
        $"ChildSaInstall({Phase1}/{Phase2} in={InboundSpi:x8} out={OutboundSpi:x8} {Suite.DisplayName} {LocalEndPoint}->{RemoteEndPoint})";
}
