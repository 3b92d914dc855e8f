namespace SharpSwan.Esp.Core;

/// <summary>Outbound traffic of a phase 2 now leaves on the SA with these SPIs.</summary>
public sealed record OutboundSwitched(string Phase1, string Phase2, uint InboundSpi, uint OutboundSpi, OutboundSwitchCause Cause)
    : PacketCoreEvent(Phase1, Phase2);
