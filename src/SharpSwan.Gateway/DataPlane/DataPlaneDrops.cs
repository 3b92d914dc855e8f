namespace SharpSwan.Gateway.DataPlane;

/// <summary>
/// Packets dropped at the bounded queues of the data plane, one counter per queue (`diagnose vpn tunnel stat`, `drop:` line).
/// Nothing between a TUN read and its sendmmsg, or between a recvmmsg and its TUN write, is queued in user space (each
/// thread carries its batch through); what is left are the kernel's queues on either side, each of fixed size, and the
/// trigger queues. Under overload these counters say where the excess went.
/// </summary>
/// <param name="TunQueue">Outbound packets the kernel dropped because a TUN device's queue toward the gateway was full (the TUN devices' tx_dropped).</param>
/// <param name="TunWrite">Decrypted packets the kernel refused or dropped when written to a TUN device (write errors and the devices' rx_dropped).</param>
/// <param name="SocketReceive">ESP and IKE datagrams the kernel dropped because the gateway's socket receive queue was full.</param>
/// <param name="SocketSend">ESP-in-UDP and IKE datagrams the sockets could not send (the send queue stayed full, or the kernel refused).</param>
/// <param name="TriggerQueue">Packets refused by a full trigger queue (<c>set trigger-queue</c>) while waiting for an SA.</param>
public readonly record struct DataPlaneDrops(long TunQueue, long TunWrite, long SocketReceive, long SocketSend, long TriggerQueue)
{
    /// <summary>All drops together.</summary>
    public long Total => TunQueue + TunWrite + SocketReceive + SocketSend + TriggerQueue;
}
