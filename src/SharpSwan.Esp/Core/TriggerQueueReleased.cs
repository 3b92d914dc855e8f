namespace SharpSwan.Esp.Core;

/// <summary>Packets held while the phase 2 had no SA were sent through the SA with these SPIs.</summary>
public sealed record TriggerQueueReleased(string Phase1, string Phase2, uint InboundSpi, uint OutboundSpi, int Packets)
    : PacketCoreEvent(Phase1, Phase2);
