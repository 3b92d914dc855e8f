using System.Buffers.Binary;
using System.Text;
using SharpSwan.Gateway.Diagnostics;

namespace SharpSwan.Gateway.Tests.Diagnostics;

/// <summary>Reads the writer's output back block by block, following the pcapng layout.</summary>
public sealed class PcapNgWriterTests
{
    [Fact]
    public void File_HasASectionHeader_OneInterfaceBlockPerLink_AndPacketsWithDirection()
    {
        using var stream = new MemoryStream();
        var time = new DateTimeOffset(2026, 11, 27, 4, 13, 11, TimeSpan.Zero).AddTicks(1234560);
        using (var writer = new PcapNgWriter(stream, 65535, ownsStream: false))
        {
            writer.Write(new CapturedFrame(time, "wan0", SnifferDirection.Out, CaptureLinkType.Ethernet, [1, 2, 3, 4, 5], 60));
            writer.Write(new CapturedFrame(time, "to-branch", SnifferDirection.In, CaptureLinkType.Raw, [0x45, 0, 0, 20], 20));
            writer.Write(new CapturedFrame(time, "wan0", SnifferDirection.In, CaptureLinkType.Ethernet, [9], 1));
            Assert.Equal(3, writer.PacketsWritten);
        }

        var blocks = Blocks(stream.ToArray());
        Assert.Equal([0x0A0D0D0Au, 1u, 6u, 1u, 6u, 6u], blocks.Select(b => b.Type));
        var section = blocks[0].Body;
        Assert.Equal(0x1A2B3C4Du, BinaryPrimitives.ReadUInt32LittleEndian(section));
        Assert.Equal((ushort)1, BinaryPrimitives.ReadUInt16LittleEndian(section[4..]));

        var wan = blocks[1].Body;
        Assert.Equal((ushort)CaptureLinkType.Ethernet, BinaryPrimitives.ReadUInt16LittleEndian(wan));
        Assert.Equal("wan0", OptionText(wan[8..], 2));
        var tun = blocks[3].Body;
        Assert.Equal((ushort)CaptureLinkType.Raw, BinaryPrimitives.ReadUInt16LittleEndian(tun));
        Assert.Equal("to-branch", OptionText(tun[8..], 2));

        var first = blocks[2].Body;
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(first)); // interface 0 = wan0
        var microseconds = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(first[4..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(first[8..]);
        Assert.Equal((ulong)((time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10), microseconds);
        Assert.Equal(5u, BinaryPrimitives.ReadUInt32LittleEndian(first[12..]));
        Assert.Equal(60u, BinaryPrimitives.ReadUInt32LittleEndian(first[16..]));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, first.Slice(20, 5).ToArray());
        Assert.Equal(2u, OptionValue(first[28..], 2)); // outbound

        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(blocks[4].Body)); // to-branch
        Assert.Equal(1u, OptionValue(blocks[4].Body[24..], 2)); // inbound
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32LittleEndian(blocks[5].Body)); // wan0 again, no new interface block
    }

    private static List<(uint Type, byte[] BodyBytes)> RawBlocks(byte[] file)
    {
        var blocks = new List<(uint, byte[])>();
        var offset = 0;
        while (offset < file.Length)
        {
            var type = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset));
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + 4));
            Assert.Equal(0, length % 4);
            Assert.Equal((uint)length, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(offset + length - 4)));
            blocks.Add((type, file[(offset + 8)..(offset + length - 4)]));
            offset += length;
        }

        Assert.Equal(file.Length, offset);
        return blocks;
    }

    private static List<Block> Blocks(byte[] file) => RawBlocks(file).Select(b => new Block(b.Type, b.BodyBytes)).ToList();

    private static string OptionText(ReadOnlySpan<byte> options, ushort code) => Encoding.UTF8.GetString(Option(options, code));

    private static uint OptionValue(ReadOnlySpan<byte> options, ushort code) => BinaryPrimitives.ReadUInt32LittleEndian(Option(options, code));

    private static ReadOnlySpan<byte> Option(ReadOnlySpan<byte> options, ushort code)
    {
        while (options.Length >= 4)
        {
            var optionCode = BinaryPrimitives.ReadUInt16LittleEndian(options);
            var length = BinaryPrimitives.ReadUInt16LittleEndian(options[2..]);
            if (optionCode == code)
            {
                return options.Slice(4, length);
            }

            Assert.NotEqual(0, optionCode);
            options = options[(4 + ((length + 3) & ~3))..];
        }

        throw new Xunit.Sdk.XunitException($"option {code} not found");
    }

    private sealed record Block(uint Type, byte[] BodyBytes)
    {
        public ReadOnlySpan<byte> Body => BodyBytes;
    }
}
