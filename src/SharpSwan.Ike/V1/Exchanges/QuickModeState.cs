using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>One quick mode in flight: what we offered or chose, the nonces, the PFS exchange and the proxy IDs.</summary>
internal sealed class QuickModeState : IDisposable
{
    public required uint MessageId { get; init; }

    public required bool WeInitiated { get; init; }

    public required Phase2Settings Phase2 { get; set; }

    public required uint InboundSpi { get; init; }

    public required TrafficSelector Local { get; set; }

    public required TrafficSelector Remote { get; set; }

    public required byte[] NonceI { get; set; }

    public byte[] NonceR { get; set; } = [];

    public KeyExchange? Dh { get; set; }

    public ChildSa? RekeyOf { get; init; }

    /// <summary>Our message 2 as the responder: resent until message 3 arrives (RFC 2409 leaves message 3 unanswered).</summary>
    public byte[]? SentSecond { get; set; }

    public DateTimeOffset NextRetransmit { get; set; }

    public int Retransmits { get; set; }

    /// <summary>
    /// The responder's child: in the data plane for inbound traffic from message 2 on, an engine child SA sending on it
    /// once message 3 commits it.
    /// </summary>
    public NegotiatedChild? Preinstalled { get; set; }

    public void Dispose()
    {
        Dh?.Dispose();
        Dh = null;
    }
}
