namespace SharpSwan.Esp.Core;

/// <summary>
/// An outbound SA's sequence number passed its soft point (<see cref="EspSecurityAssociation.SequenceSoftLimit"/>, or
/// <see cref="EspSecurityAssociation.EsnSequenceSoftLimit"/> with ESN), or with <paramref name="Exhausted"/> reached
/// 2^32 - 1 (2^64 - 1 with ESN) and now drops what it cannot number. Either way the host tells the
/// engine, which treats it as a soft expiry and rekeys the child SA. Raised once each per SA.
/// </summary>
public sealed record SequenceLimitReached(string Phase1, string Phase2, uint InboundSpi, uint OutboundSpi, ulong Sequence, bool Exhausted)
    : PacketCoreEvent(Phase1, Phase2);
