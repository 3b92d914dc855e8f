namespace SharpSwan.Esp.Core;

/// <summary>
/// Where the packet core reports what it did. In the gateway it is called from the engine thread, the TUN readers and
/// the socket readers, so an implementation must be thread-safe and must not block.
/// </summary>
public interface IPacketCoreEvents
{
    void Publish(PacketCoreEvent coreEvent);
}
