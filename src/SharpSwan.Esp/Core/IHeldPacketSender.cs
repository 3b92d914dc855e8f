namespace SharpSwan.Esp.Core;

/// <summary>Sends the packets a trigger queue releases; the host encrypts them with <see cref="PacketCore.Seal"/>.</summary>
public interface IHeldPacketSender
{
    void SendHeld(ChildSaPath sa, ReadOnlySpan<byte> packet);
}
