using System.Buffers.Binary;
using SharpSwan.Esp.Core;

namespace SharpSwan.Esp.Tests.Core;

/// <summary><c>inbound-dscp-copy</c>: the ESP packet's DSCP goes into the decrypted packet only when enabled, ECN kept, checksum right.</summary>
public sealed class InboundDscpTests
{
    private const byte ExpeditedForwarding = 46 << 2;

    [Fact]
    public void Disabled_TheInnerTosIsLeftAsItsSenderSetIt()
    {
        using var rig = new CoreRig();
        var (_, peer) = rig.InstallPair(0x100);
        var inner = InnerPacket(tos: 0x01);
        var esp = CoreRig.Seal(peer, inner);

        Assert.Equal(InboundResult.Delivered, rig.Local.Inbound(esp, CoreRig.Arrival, ExpeditedForwarding, out _, out var offset, out var length));
        Assert.Equal(inner, esp.AsSpan(offset, length).ToArray());
    }

    [Fact]
    public void Enabled_TheOuterDscpIsCopied_TheInnerEcnKept_AndTheHeaderChecksumStaysRight()
    {
        using var rig = new CoreRig();
        PacketCore.Reconfigure(rig.LocalPath, rig.LocalPath.Settings with { CopiesInboundDscp = true });
        var (_, peer) = rig.InstallPair(0x100);
        var inner = InnerPacket(tos: 0x01);
        var esp = CoreRig.Seal(peer, inner);

        Assert.Equal(InboundResult.Delivered, rig.Local.Inbound(esp, CoreRig.Arrival, ExpeditedForwarding | 0x02, out _, out var offset, out var length));
        var delivered = esp.AsSpan(offset, length).ToArray();
        Assert.Equal(ExpeditedForwarding | 0x01, delivered[1]);
        Assert.Equal(HeaderChecksum(delivered), BinaryPrimitives.ReadUInt16BigEndian(delivered.AsSpan(10)));
        Assert.NotEqual(BinaryPrimitives.ReadUInt16BigEndian(inner.AsSpan(10)), BinaryPrimitives.ReadUInt16BigEndian(delivered.AsSpan(10)));
        Assert.Equal(inner.AsSpan(12).ToArray(), delivered.AsSpan(12).ToArray());

        // An ESP packet whose transport did not report its TOS changes nothing.
        var unknown = CoreRig.Seal(peer, inner);
        Assert.Equal(InboundResult.Delivered, rig.Local.Inbound(unknown, CoreRig.Arrival, InboundDscp.Unknown, out _, out offset, out length));
        Assert.Equal(inner, unknown.AsSpan(offset, length).ToArray());
    }

    [Theory]
    [InlineData(0x00, 0xFC)]
    [InlineData(0xFF, 0x00)]
    [InlineData(0x8B, 0x28)]
    public void Copy_KeepsTheChecksumValid_ForAnyTos(byte innerTos, byte outerTos)
    {
        var packet = InnerPacket(innerTos);
        Assert.True(InboundDscp.Copy(packet, outerTos));
        Assert.Equal((byte)((outerTos & 0xFC) | (innerTos & 0x03)), packet[1]);
        Assert.Equal(HeaderChecksum(packet), BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(10)));
    }

    [Fact]
    public void Copy_LeavesANonIpv4PacketAlone()
    {
        var packet = new byte[40];
        packet[0] = 0x60;
        Assert.False(InboundDscp.Copy(packet, ExpeditedForwarding));
        Assert.All(packet.Skip(1), b => Assert.Equal(0, b));
    }

    /// <summary>The rig's 10.2.0.7 to 10.1.0.5 packet with <paramref name="tos"/> and a correct header checksum.</summary>
    private static byte[] InnerPacket(byte tos)
    {
        var packet = CoreRig.PeerToLocal(3);
        packet[1] = tos;
        packet[8] = 64;
        packet[9] = 17;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), HeaderChecksum(packet));
        return packet;
    }

    /// <summary>The RFC 791 checksum of the 20-byte header, computed from scratch with the checksum field as zero.</summary>
    private static ushort HeaderChecksum(byte[] packet)
    {
        uint sum = 0;
        for (var i = 0; i < 20; i += 2)
        {
            sum += i == 10 ? 0u : BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(i));
        }

        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
