namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// The packet core's part of a traced packet: which phase 2 took it and what happened (<see cref="TunnelOutcome"/>).
/// Matched to the kernel's trace of the same packet by <see cref="Packet"/> (addresses, protocol, IP identification).
/// </summary>
public sealed record TunnelStep(FlowPacketIdentity Packet, string Phase1, TunnelOutcome Outcome)
{
    public string? Phase2 { get; init; }

    /// <summary>The outbound SA's SPI (<see cref="TunnelOutcome.Encrypted"/>).</summary>
    public uint? Spi { get; init; }

    /// <summary>The local and remote gateway addresses the ESP packet goes between.</summary>
    public string? Local { get; init; }

    public string? Remote { get; init; }
}
