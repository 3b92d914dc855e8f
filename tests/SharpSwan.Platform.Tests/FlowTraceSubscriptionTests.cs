using System.Buffers.Binary;
using System.Text;

namespace SharpSwan.Platform.Tests;

/// <summary>The nftables trace message as the kernel sends it (nfnetlink, big-endian values), and what does not parse.</summary>
public sealed class FlowTraceSubscriptionTests
{
    [Fact]
    public void A_rule_event_gives_its_chain_handle_verdict_interfaces_and_headers()
    {
        var message = Message(
            Attribute(1, Text("sharpswan")),
            Attribute(2, Text("prerouting")),
            Attribute(3, BigEndian64(25)),
            Attribute(4, BigEndian32(3)),
            Attribute(0x8000 | 5, [.. Attribute(1, BigEndian32(unchecked((uint)-3))), .. Attribute(2, Text("decide"))]),
            Attribute(6, BigEndian32(0xdeadbeef)),
            Attribute(8, [0x45, 0, 0, 20]),
            Attribute(9, [1, 2, 3, 4]),
            Attribute(10, BigEndian32(7)),
            Attribute(14, BigEndian32(0x53530001)),
            Attribute(18, BigEndian32(0x07bea924)),
            Attribute(19, [1]));
        var traced = FlowTraceSubscription.Parse(message, index => index == 7 ? "lan0" : null);

        Assert.NotNull(traced);
        Assert.Equal((0xdeadbeefu, FlowTraceKind.Rule, "sharpswan", "prerouting"), (traced.TraceId, traced.Kind, traced.Table, traced.Chain));
        Assert.Equal((25ul, FlowTraceVerdict.Jump, "decide"), (traced.RuleHandle!.Value, traced.Verdict!.Value, traced.JumpTarget));
        Assert.Equal(("lan0", (string?)null, 0x53530001u), (traced.InputInterface, traced.OutputInterface, traced.Mark!.Value));
        Assert.Equal([0x45, 0, 0, 20], traced.NetworkHeader);
        Assert.Equal([1, 2, 3, 4], traced.TransportHeader);
        Assert.Equal((0x07bea924u, true), (traced.ConnectionId!.Value, traced.ReplyDirection!.Value));

        // A drop carries an errno in the upper bits of its code.
        var dropped = FlowTraceSubscription.Parse(Message(
            Attribute(1, Text("sharpswan")), Attribute(2, Text("decide")), Attribute(4, BigEndian32(3)), Attribute(6, BigEndian32(1)),
            Attribute(0x8000 | 5, Attribute(1, BigEndian32(0x00010000)))));
        Assert.Equal(FlowTraceVerdict.Drop, dropped!.Verdict);
        Assert.Equal(((uint?)null, (bool?)null), (dropped.ConnectionId, dropped.ReplyDirection)); // before connection tracking
    }

    [Fact]
    public void Other_messages_and_malformed_ones_give_nothing()
    {
        byte[] complete = Message(Attribute(1, Text("t")), Attribute(2, Text("c")), Attribute(4, BigEndian32(1)), Attribute(6, BigEndian32(1)));
        Assert.NotNull(FlowTraceSubscription.Parse(complete));

        Assert.Null(FlowTraceSubscription.Parse(Message(Attribute(1, Text("t")), Attribute(4, BigEndian32(1)), Attribute(6, BigEndian32(1))))); // no chain
        Assert.Null(FlowTraceSubscription.Parse(Message(Attribute(1, Text("t")), Attribute(2, Text("c")), Attribute(4, BigEndian32(9)), Attribute(6, BigEndian32(1))))); // unknown type
        Assert.Null(FlowTraceSubscription.Parse(complete.AsSpan(0, 19)));
        var otherType = complete.ToArray();
        otherType[4] = 0; // another nfnetlink message
        Assert.Null(FlowTraceSubscription.Parse(otherType));

        // Cut anywhere, it never throws.
        for (var length = 0; length <= complete.Length; length++)
        {
            FlowTraceSubscription.Parse(complete.AsSpan(0, length));
        }
    }

    private static byte[] Message(params byte[][] attributes)
    {
        var body = attributes.SelectMany(a => a).ToArray();
        var message = new byte[16 + 4 + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), (10 << 8) | 17);
        message[16] = 2; // nfgenmsg: AF_INET
        body.CopyTo(message, 20);
        return message;
    }

    private static byte[] Attribute(int type, byte[] value)
    {
        var attribute = new byte[(4 + value.Length + 3) & ~3];
        BinaryPrimitives.WriteUInt16LittleEndian(attribute, (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(attribute.AsSpan(2), (ushort)type);
        value.CopyTo(attribute, 4);
        return attribute;
    }

    private static byte[] Text(string text) => [.. Encoding.ASCII.GetBytes(text), 0];

    private static byte[] BigEndian32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] BigEndian64(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }
}
