namespace SharpSwan.Esp.Core;

/// <summary>Packets held while the phase 2 had no SA were thrown away.</summary>
public sealed record TriggerQueueDropped(string Phase1, string Phase2, int Packets, TriggerQueueDropReason Reason)
    : PacketCoreEvent(Phase1, Phase2);
