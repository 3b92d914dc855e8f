using SharpSwan.Gateway.Diagnostics;

namespace SharpSwan.Gateway.Tests.Diagnostics;

public sealed class FlowTraceFormatterTests
{
    private static readonly byte[] EchoRequest =
        [0x45, 0, 0, 84, 0, 1, 0x40, 0, 64, 1, 0, 0, 10, 1, 0, 5, 10, 2, 0, 9];

    [Fact]
    public void Steps_read_as_FortiOS_debug_flow_lines()
    {
        var packet = FlowPacket.Read(EchoRequest, [8, 0, 0, 0, 0x12, 0x34, 0, 7])!;
        Assert.Equal(
            "id=20085 trace_id=1 msg=\"vd-root:0 received a packet(proto=1, 10.1.0.5:4660->10.2.0.9:2048) from lan0. type=8, code=0, id=4660, seq=7.\"",
            FlowTraceFormatter.Format(new FlowStep(1, FlowStepKind.Received) { Packet = packet, Interface = "lan0" }, showFunctionName: false));
        Assert.Equal(
            "id=20085 trace_id=2 msg=\"vd-root:0 received a packet(proto=1, 10.1.0.5:4660->10.2.0.9:2048) from to-branch. type=8, code=0, id=4660, seq=7.\"",
            FlowTraceFormatter.Format(new FlowStep(2, FlowStepKind.Received) { Packet = packet, Interface = "ssw-pol1", Tunnel = "to-branch", PolicyBased = true }, false));
        Assert.Equal("id=20085 trace_id=1 msg=\"allocate a new session\"", FlowTraceFormatter.Format(new FlowStep(1, FlowStepKind.NewSession), false));
        Assert.Equal("id=20085 trace_id=1 msg=\"Find an existing session\"", FlowTraceFormatter.Format(new FlowStep(1, FlowStepKind.ExistingSession), false));
        Assert.Equal(
            "id=20085 trace_id=1 msg=\"allocate a new session-07bea924\"",
            FlowTraceFormatter.Format(new FlowStep(1, FlowStepKind.NewSession) { SessionId = 0x07bea924 }, false));
        Assert.Equal(
            "id=20085 trace_id=2 msg=\"Find an existing session, id-07bea924, reply direction\"",
            FlowTraceFormatter.Format(new FlowStep(2, FlowStepKind.ExistingSession) { SessionId = 0x07bea924, ReplyDirection = true }, false));
        Assert.Equal(
            "id=20085 trace_id=3 msg=\"Find an existing session, id-07bea924, original direction\"",
            FlowTraceFormatter.Format(new FlowStep(3, FlowStepKind.ExistingSession) { SessionId = 0x07bea924, ReplyDirection = false }, false));
        Assert.Equal(
            "id=20085 trace_id=1 func=sharpswan/decide line=13 msg=\"Allowed by Policy-3: encrypt\"",
            FlowTraceFormatter.Format(new FlowStep(1, FlowStepKind.Allowed) { PolicyId = 3, Action = "encrypt", Where = "sharpswan/decide", RuleHandle = 13 }, showFunctionName: true));
        Assert.Equal("id=20085 trace_id=1 msg=\"Allowed by Policy-1:\"", FlowTraceFormatter.Format(new FlowStep(1, FlowStepKind.Allowed) { PolicyId = 1 }, false));
        Assert.Equal("id=20085 trace_id=4 msg=\"Denied by forward policy check (policy 0)\"", FlowTraceFormatter.Format(new FlowStep(4, FlowStepKind.Denied) { PolicyId = 0 }, false));
        Assert.Equal("id=20085 trace_id=1 msg=\"enter IPSec tunnel-to-branch\"", FlowTraceFormatter.Format(new FlowStep(1, FlowStepKind.Sent) { Interface = "ssw-pol1", Tunnel = "to-branch", PolicyBased = true }, false));
        Assert.Equal("id=20085 trace_id=1 msg=\"enter IPSec interface-hq\"", FlowTraceFormatter.Format(new FlowStep(1, FlowStepKind.Sent) { Interface = "hq", Tunnel = "hq" }, false));
        Assert.True(FlowPacketIdentity.TryRead(EchoRequest, out var identity));
        var core = new TunnelStep(identity, "to-branch", TunnelOutcome.Encrypted) { Phase2 = "to-branch-p2", Spi = 0xc1a2b3d4, Local = "198.51.100.1", Remote = "198.51.100.2" };
        Assert.Equal(
            "id=20085 trace_id=1 msg=\"encrypted by SA spi=c1a2b3d4 of phase2 to-branch-p2, and send to 198.51.100.2 with source 198.51.100.1\"",
            FlowTraceFormatter.Format(new FlowStep(1, FlowStepKind.Tunnel) { Core = core }, false));
        Assert.Equal(
            "id=20085 trace_id=1 msg=\"no SA for phase2 to-branch-p2: negotiation triggered, packet dropped\"",
            FlowTraceFormatter.Format(new FlowStep(1, FlowStepKind.Tunnel) { Core = core with { Outcome = TunnelOutcome.DroppedNegotiating } }, false));
        Assert.Equal(
            "id=20085 trace_id=1 msg=\"no SA for phase2 to-branch-p2: negotiation triggered, packet held in the trigger queue\"",
            FlowTraceFormatter.Format(new FlowStep(1, FlowStepKind.Tunnel) { Core = core with { Outcome = TunnelOutcome.Held } }, false));
        Assert.Equal(
            "id=20085 trace_id=1 msg=\"released from the trigger queue: encrypted by SA spi=c1a2b3d4 of phase2 to-branch-p2, and send to 198.51.100.2 with source 198.51.100.1\"",
            FlowTraceFormatter.Format(new FlowStep(1, FlowStepKind.Tunnel) { Core = core with { Outcome = TunnelOutcome.Released } }, false));
        Assert.Equal(
            "id=20085 trace_id=1 msg=\"decrypted by SA spi=c1a2b3d4 of phase2 to-branch-p2, received from 198.51.100.2 on 198.51.100.1\"",
            FlowTraceFormatter.Format(new FlowStep(1, FlowStepKind.Tunnel) { Core = core with { Outcome = TunnelOutcome.Decrypted } }, false));
        Assert.Equal(
            "id=20085 trace_id=1 msg=\"find a route: gw-198.51.100.254 via wan0\"",
            FlowTraceFormatter.Format(new FlowStep(1, FlowStepKind.Route) { NextHop = 0xc63364fe, Interface = "wan0" }, false));
        Assert.Equal("id=20085 trace_id=1 msg=\"send out via wan0\"", FlowTraceFormatter.Format(new FlowStep(1, FlowStepKind.Sent) { Interface = "wan0" }, false));
    }

    [Fact]
    public void Tcp_shows_its_flags_and_numbers_and_a_later_fragment_only_its_addresses()
    {
        byte[] tcp = [.. EchoRequest];
        tcp[9] = 6;
        var syn = FlowPacket.Read(tcp, [0x9c, 0x40, 0, 80, 0, 0, 0, 100, 0, 0, 0, 0, 0x50, 0x02, 0xfa, 0xf0])!;
        Assert.Equal("(proto=6, 10.1.0.5:40000->10.2.0.9:80)", syn.Tuple());
        Assert.Equal(" flag [S], seq 100, ack 0, win 64240", syn.Details());

        tcp[7] = 0x10; // fragment offset 16: no transport header
        var fragment = FlowPacket.Read(tcp, [0x9c, 0x40, 0, 80])!;
        Assert.Equal("(proto=6, 10.1.0.5:0->10.2.0.9:0)", fragment.Tuple());
        Assert.Null(FlowPacket.Read([0x60, 0, 0, 0], []));
        Assert.Null(FlowPacket.Read(EchoRequest.AsSpan(0, 19), []));
    }
}
