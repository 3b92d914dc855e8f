using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Gateway.Policy;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Tests.Diagnostics;

/// <summary>
/// The kernel's trace events and the packet core's steps come on different threads and in either order; the interpreter
/// joins them by the packet (addresses, protocol, IP identification) into one numbered trace, and follows only its count.
/// </summary>
public sealed class FlowTraceInterpreterTests
{
    private static readonly FlowRule Encrypt = new(FlowStepKind.Allowed, 1, "encrypt");

    [Fact]
    public void The_packet_cores_step_joins_the_trace_of_its_packet_whichever_comes_first()
    {
        var interpreter = NewInterpreter(limit: 2);
        var steps = new List<FlowStep>();
        steps.AddRange(interpreter.Interpret(Core(identification: 2, TunnelOutcome.DroppedNegotiating))); // ahead of its kernel trace
        foreach (var (id, identification) in new[] { (100u, (ushort)1), (200u, (ushort)2) })
        {
            steps.AddRange(interpreter.Interpret(Arrived(id, identification)));
            steps.AddRange(interpreter.Interpret(new FlowTraceEvent(id, FlowTraceKind.Rule, NftRuleset.TableName, "decide") { RuleHandle = 13, Verdict = FlowTraceVerdict.Accept }));
            steps.AddRange(interpreter.Interpret(new FlowTraceEvent(id, FlowTraceKind.Rule, NftRuleset.TraceTableName, NftRuleset.TraceExitChain) { OutputInterface = "ssw-pol1" }));
        }

        steps.AddRange(interpreter.Interpret(Core(identification: 1, TunnelOutcome.Encrypted)));

        Assert.Equal(
            [(1, FlowStepKind.Received), (1, FlowStepKind.Allowed), (1, FlowStepKind.Sent), (2, FlowStepKind.Received), (2, FlowStepKind.Allowed), (2, FlowStepKind.Sent), (2, FlowStepKind.Tunnel), (1, FlowStepKind.Tunnel)],
            steps.Select(s => (s.TraceNumber, s.Kind)));
        Assert.Equal(TunnelOutcome.DroppedNegotiating, steps[6].Core!.Outcome);
        Assert.Equal(TunnelOutcome.Encrypted, steps[7].Core!.Outcome);
        Assert.Equal(("to-branch", true), (steps[2].Tunnel, steps[2].PolicyBased));
        Assert.True(interpreter.Full);

        // Past the count: a third packet is not followed, and its core step joins nothing.
        Assert.Empty(interpreter.Interpret(Arrived(300, 3)));
        Assert.Empty(interpreter.Interpret(Core(identification: 3, TunnelOutcome.Encrypted)));
    }

    [Fact]
    public void A_packet_leaving_by_another_interface_waits_for_no_core_step_and_unknown_rules_say_nothing()
    {
        var interpreter = NewInterpreter(limit: 1);
        var steps = interpreter.Interpret(Arrived(7, 9))
            .Concat(interpreter.Interpret(new FlowTraceEvent(7, FlowTraceKind.Rule, NftRuleset.TableName, "decide") { RuleHandle = 99 }))
            .Concat(interpreter.Interpret(new FlowTraceEvent(7, FlowTraceKind.Rule, NftRuleset.TraceTableName, NftRuleset.TraceExitChain) { OutputInterface = "wan0" }))
            .Concat(interpreter.Interpret(Core(identification: 9, TunnelOutcome.Encrypted)))
            .ToList();
        Assert.Equal([FlowStepKind.Received, FlowStepKind.Sent], steps.Select(s => s.Kind));
        Assert.Null(steps[1].Tunnel);
    }

    [Fact]
    public void A_decrypted_packet_shows_its_SA_with_the_kernels_trace_of_it_and_one_dropped_inside_the_core_counts_on_its_own()
    {
        var interpreter = NewInterpreter(limit: 3);
        var steps = new List<FlowStep>();

        // Decrypted before the kernel's trace was read: its line comes ahead of the packet's arrival from the tunnel.
        steps.AddRange(interpreter.Interpret(Core(identification: 5, TunnelOutcome.Decrypted)));
        steps.AddRange(interpreter.Interpret(FromTunnel(500, 5)));

        // Read the other way round: it follows the arrival.
        steps.AddRange(interpreter.Interpret(FromTunnel(600, 6)));
        steps.AddRange(interpreter.Interpret(Core(identification: 6, TunnelOutcome.Decrypted)));

        // Outside the selectors: the kernel never sees it, so it is a traced packet of its own.
        steps.AddRange(interpreter.Interpret(Core(identification: 7, TunnelOutcome.DecryptedOutsideSelectors)));
        Assert.Equal(
            [(1, FlowStepKind.Tunnel), (1, FlowStepKind.Received), (2, FlowStepKind.Received), (2, FlowStepKind.Tunnel), (3, FlowStepKind.Tunnel)],
            steps.Select(s => (s.TraceNumber, s.Kind)));
        Assert.Equal("to-branch", steps[1].Tunnel);
        Assert.True(interpreter.Full);
        Assert.Empty(interpreter.Interpret(Core(identification: 8, TunnelOutcome.DecryptedOutsideSelectors)));
    }

    [Fact]
    public void A_held_packets_release_joins_its_trace_and_the_trace_knows_a_release_is_still_to_come()
    {
        var interpreter = NewInterpreter(limit: 2);
        var steps = new List<FlowStep>();
        foreach (var (id, identification) in new[] { (100u, (ushort)1), (200u, (ushort)2) })
        {
            steps.AddRange(interpreter.Interpret(Arrived(id, identification)));
            steps.AddRange(interpreter.Interpret(new FlowTraceEvent(id, FlowTraceKind.Rule, NftRuleset.TraceTableName, NftRuleset.TraceExitChain) { OutputInterface = "ssw-pol1" }));
        }

        // Packet 1's core step comes after its kernel trace, packet 2's before the release of packet 1.
        steps.AddRange(interpreter.Interpret(Core(identification: 1, TunnelOutcome.Held)));
        steps.AddRange(interpreter.Interpret(Core(identification: 2, TunnelOutcome.Held)));
        Assert.Equal(2, interpreter.Held);
        steps.AddRange(interpreter.Interpret(Core(identification: 2, TunnelOutcome.Released)));
        steps.AddRange(interpreter.Interpret(Core(identification: 1, TunnelOutcome.Released)));
        Assert.Equal(0, interpreter.Held);
        Assert.Equal(
            [(1, TunnelOutcome.Held), (2, TunnelOutcome.Held), (2, TunnelOutcome.Released), (1, TunnelOutcome.Released)],
            steps.Where(s => s.Kind == FlowStepKind.Tunnel).Select(s => (s.TraceNumber, s.Core!.Outcome)));

        // Held and released before the kernel's trace of the packet was read: both join it, in that order.
        var late = NewInterpreter(limit: 1);
        Assert.Empty(late.Interpret(Core(identification: 4, TunnelOutcome.Held)));
        Assert.Empty(late.Interpret(Core(identification: 4, TunnelOutcome.Released)));
        var joined = late.Interpret(Arrived(400, 4))
            .Concat(late.Interpret(new FlowTraceEvent(400, FlowTraceKind.Rule, NftRuleset.TraceTableName, NftRuleset.TraceExitChain) { OutputInterface = "ssw-pol1" }))
            .Where(s => s.Kind == FlowStepKind.Tunnel)
            .Select(s => (s.TraceNumber, s.Core!.Outcome))
            .ToList();
        Assert.Equal([(1, TunnelOutcome.Held), (1, TunnelOutcome.Released)], joined);
        Assert.Equal(0, late.Held);

        // A packet held before the trace began and released now: nothing more is followed once the count is reached.
        Assert.Empty(interpreter.Interpret(Core(identification: 3, TunnelOutcome.Released)));
        var fresh = NewInterpreter(limit: 1);
        Assert.Equal(1, Assert.Single(fresh.Interpret(Core(identification: 3, TunnelOutcome.Released))).TraceNumber);
    }

    private static FlowTraceEvent FromTunnel(uint id, ushort identification) =>
        Arrived(id, identification) with { InputInterface = "ssw-pol1" };

    [Fact]
    public void The_route_a_leaving_packet_found_comes_before_its_exit_with_the_mark_it_left_with()
    {
        var asked = new List<(uint Destination, uint Mark)>();
        var interpreter = new FlowTraceInterpreter(
            2,
            _ => null,
            _ => null,
            (destination, mark) =>
            {
                asked.Add((destination, mark));
                return mark == 0 ? 0xc63364feu : null; // marked: the lookup finds nothing, and no route line is made up
            });
        var steps = interpreter.Interpret(Arrived(7, 9))
            .Concat(interpreter.Interpret(new FlowTraceEvent(7, FlowTraceKind.Rule, NftRuleset.TraceTableName, NftRuleset.TraceExitChain) { OutputInterface = "wan0" }))
            .Concat(interpreter.Interpret(Arrived(8, 10)))
            .Concat(interpreter.Interpret(new FlowTraceEvent(8, FlowTraceKind.Rule, NftRuleset.TraceTableName, NftRuleset.TraceExitChain) { OutputInterface = "wan0", Mark = 5 }))
            .ToList();

        Assert.Equal(
            [(1, FlowStepKind.Received), (1, FlowStepKind.Route), (1, FlowStepKind.Sent), (2, FlowStepKind.Received), (2, FlowStepKind.Sent)],
            steps.Select(s => (s.TraceNumber, s.Kind)));
        Assert.Equal((0xc63364feu, "wan0"), (steps[1].NextHop!.Value, steps[1].Interface));
        Assert.Equal([(0x0a020009u, 0u), (0x0a020009u, 5u)], asked);
    }

    private static FlowTraceInterpreter NewInterpreter(int limit) => new(
        limit,
        handle => handle == 13 ? Encrypt : handle == 99 ? new FlowRule(null) : null,
        device => device == "ssw-pol1" ? ("to-branch", true) : null);

    private static FlowTraceEvent Arrived(uint id, ushort identification) =>
        new(id, FlowTraceKind.Rule, NftRuleset.TraceTableName, "prerouting")
        {
            InputInterface = "lan0",
            NetworkHeader = Header(identification),
            TransportHeader = [8, 0, 0, 0, 0, 1, 0, 1],
        };

    private static TunnelStep Core(ushort identification, TunnelOutcome outcome)
    {
        Assert.True(FlowPacketIdentity.TryRead(Header(identification), out var identity));
        return new TunnelStep(identity, "to-branch", outcome) { Phase2 = "to-branch-p2" };
    }

    private static byte[] Header(ushort identification) =>
        [0x45, 0, 0, 84, (byte)(identification >> 8), (byte)identification, 0x40, 0, 64, 1, 0, 0, 10, 1, 0, 5, 10, 2, 0, 9];
}
