namespace SharpSwan.Esp.Core;

/// <summary>A packet needs the phase 2 and it has no SA: the host should ask the engine to negotiate it.</summary>
public sealed record AcquireRequested(string Phase1, string Phase2) : PacketCoreEvent(Phase1, Phase2);
