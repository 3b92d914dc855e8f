using SharpSwan.Esp.Core;

namespace SharpSwan.Esp.Tests.Core;

/// <summary>Keeps every event a packet core publishes, and sends held packets into a list.</summary>
internal sealed class EventRecorder : IPacketCoreEvents, IHeldPacketSender
{
    public List<PacketCoreEvent> Events { get; } = [];

    public List<(ChildSaPath Sa, byte[] Packet)> Sent { get; } = [];

    public IEnumerable<T> Of<T>() where T : PacketCoreEvent => Events.OfType<T>();

    public void Publish(PacketCoreEvent coreEvent) => Events.Add(coreEvent);

    public void SendHeld(ChildSaPath sa, ReadOnlySpan<byte> packet) => Sent.Add((sa, packet.ToArray()));
}
