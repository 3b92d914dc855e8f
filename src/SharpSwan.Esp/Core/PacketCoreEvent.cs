namespace SharpSwan.Esp.Core;

/// <summary>
/// Something the packet core did that the host may want to record: the gateway logs and forwards them, the simulation
/// turns them into its timeline. Raised on state changes only, never per packet.
/// </summary>
public abstract record PacketCoreEvent(string Phase1, string Phase2);
