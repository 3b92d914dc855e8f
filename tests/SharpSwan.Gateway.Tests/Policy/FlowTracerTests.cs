using System.Collections.Concurrent;
using SharpSwan.Esp.Core;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Gateway.Policy;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Tests.Policy;

/// <summary>
/// `diagnose debug flow trace` against the real kernel: the policies' ruleset in a namespace of the test's own, the trace
/// table the tracer installs, and the kernel's nftables trace events read by <see cref="FlowTraceSubscription"/>. The steps
/// must say which policy decided each packet, whether it started a session, and which tunnel it entered.
/// </summary>
public sealed class FlowTracerTests
{
    private static readonly PolicyTunnelDevice Device = SessionTableTests.Device;

    private static readonly PacketFlow ToBranch = new(0x0a010005, 0x0a020009, 17, 20002, 500, true); // 10.1.0.5 -> 10.2.0.9: policy 3 (ipsec)

    private static readonly PacketFlow Dns = new(0x0a010005, 0xc000024d, 17, 20000, 53, true); // 10.1.0.5 -> 192.0.2.77:53

    [Fact]
    public void A_packet_into_a_policy_based_tunnel_shows_its_policy_its_session_and_the_tunnel_it_enters()
    {
        Assert.True(ProcessPrivileges.IsRoot, "root is required: the test creates a network namespace and TUN devices");
        using var lab = new PolicyNamespaceLab(Device);
        lab.Load(SessionTableTests.Ruleset(acceptFirst: true));

        // What the gateway sets up for the policy-based tunnel: its mark routed to its device.
        Assert.Null(lab.Exec("ip", ["route", "add", "default", "dev", Device.Device, "table", $"{Device.Table}"]));
        Assert.Null(lab.Exec("ip", ["rule", "add", "fwmark", Device.MarkText, "lookup", $"{Device.Table}"]));

        using var tracer = Tracer(lab);
        var filter = FlowFilter.Apply(FlowFilter.None, ["addr", "10.2.0.9"], out var error);
        Assert.Null(error);
        var steps = new ConcurrentQueue<FlowStep>();
        using var finished = new ManualResetEventSlim();
        Assert.Null(tracer.Start(filter!, 3));
        using var watch = tracer.Watch(steps.Enqueue, finished.Set);

        lab.Send(lab.Lan, Dns); // not matched by the filter: never traced
        lab.Send(lab.Lan, ToBranch);
        lab.Send(lab.Tunnel, ToBranch.Reversed); // the answer, decrypted: the connection is established now
        lab.Send(lab.Lan, ToBranch);
        lab.Send(lab.Lan, ToBranch); // a fourth: past the count
        Assert.True(finished.Wait(TimeSpan.FromSeconds(10)), $"the trace ends after three packets; steps: {string.Join(", ", steps)}");

        var first = steps.Where(s => s.TraceNumber == 1).ToList();
        var received = Assert.Single(first, s => s.Kind == FlowStepKind.Received);
        Assert.Equal("lan0", received.Interface);
        Assert.Equal((ToBranch.Source, ToBranch.Destination, (ushort?)ToBranch.DestinationPort), (received.Packet!.Source, received.Packet.Destination, received.Packet.DestinationPort));
        Assert.Contains(first, s => s.Kind == FlowStepKind.NewSession);
        var allowed = Assert.Single(first, s => s.Kind == FlowStepKind.Allowed);
        Assert.Equal((3L, "encrypt"), (allowed.PolicyId!.Value, allowed.Action));
        // The tunnel's mark routes it by the tunnel's table, onto the device: the destination is on that link.
        var route = Assert.Single(first, s => s.Kind == FlowStepKind.Route);
        Assert.Equal((ToBranch.Destination, Device.Phase1), (route.NextHop!.Value, route.Interface));
        var sent = Assert.Single(first, s => s.Kind == FlowStepKind.Sent);
        Assert.Equal((Device.Device, Device.Phase1, true), (sent.Interface, sent.Tunnel, sent.PolicyBased));

        // The answer comes out of the tunnel, as an existing session's.
        var answer = steps.Where(s => s.TraceNumber == 2).ToList();
        var fromTunnel = Assert.Single(answer, s => s.Kind == FlowStepKind.Received);
        Assert.Equal((Device.Phase1, true, ToBranch.Destination), (fromTunnel.Tunnel, fromTunnel.PolicyBased, fromTunnel.Packet!.Source));
        Assert.Contains(answer, s => s.Kind == FlowStepKind.ExistingSession);

        // The next packet of the connection is let through by its session; no policy decides it again.
        var third = steps.Where(s => s.TraceNumber == 3).ToList();
        Assert.Contains(third, s => s.Kind == FlowStepKind.ExistingSession);
        Assert.DoesNotContain(third, s => s.Kind is FlowStepKind.NewSession or FlowStepKind.Allowed);
        Assert.Contains(third, s => s.Kind == FlowStepKind.Sent && s.Tunnel == Device.Phase1);
        Assert.DoesNotContain(steps, s => s.Packet?.Destination == Dns.Destination);
        Assert.DoesNotContain(steps, s => s.TraceNumber > 3);

        // Each session step names the kernel's connection, the one `diagnose sys session list` shows as its serial, and the
        // way the packet goes along it.
        List<ConnectionEntry> sessions = [];
        lab.InNamespace(() => sessions = ConnectionTracking.ListIPv4());
        var connection = Assert.Single(sessions, c => c.Destination == ToBranch.Destination).Id;
        Assert.Equal(connection, Assert.Single(first, s => s.Kind == FlowStepKind.NewSession).SessionId);
        var replied = Assert.Single(answer, s => s.Kind == FlowStepKind.ExistingSession);
        Assert.Equal((connection, true), (replied.SessionId, replied.ReplyDirection));
        var onward = Assert.Single(third, s => s.Kind == FlowStepKind.ExistingSession);
        Assert.Equal((connection, false), (onward.SessionId, onward.ReplyDirection));

        // Ended: the trace table is gone.
        Assert.NotNull(lab.Exec("nft", ["list", "table", "ip", NftRuleset.TraceTableName]));
    }

    [Fact]
    public void A_denied_packet_names_the_deny_policy_and_one_no_policy_matches_the_implicit_deny()
    {
        Assert.True(ProcessPrivileges.IsRoot, "root is required: the test creates a network namespace and TUN devices");
        using var lab = new PolicyNamespaceLab(Device);
        lab.Load(SessionTableTests.Ruleset(acceptFirst: false));
        using var tracer = Tracer(lab);
        var filter = FlowFilter.Apply(FlowFilter.None, ["addr", "192.0.2.77"], out _);
        var steps = new ConcurrentQueue<FlowStep>();
        using var finished = new ManualResetEventSlim();
        Assert.Null(tracer.Start(filter!, 2));
        using var watch = tracer.Watch(steps.Enqueue, finished.Set);

        lab.Send(lab.Lan, Dns);       // lan0 -> wan0: deny policy 2 comes first
        lab.Send(lab.Wan, Dns.Reversed); // wan0 -> lan0: no policy has that direction
        Assert.True(finished.Wait(TimeSpan.FromSeconds(10)), $"the trace ends after two packets; steps: {string.Join(", ", steps)}");

        Assert.Equal(2L, Assert.Single(steps, s => s.TraceNumber == 1 && s.Kind == FlowStepKind.Denied).PolicyId);
        Assert.Equal(0L, Assert.Single(steps, s => s.TraceNumber == 2 && s.Kind == FlowStepKind.Denied).PolicyId);
        Assert.Equal("wan0", Assert.Single(steps, s => s.TraceNumber == 2 && s.Kind == FlowStepKind.Received).Interface);
        Assert.DoesNotContain(steps, s => s.Kind is FlowStepKind.Allowed or FlowStepKind.Sent);
    }

    [Fact]
    public void Stop_ends_a_running_trace_and_removes_its_table()
    {
        Assert.True(ProcessPrivileges.IsRoot, "root is required: the test creates a network namespace and TUN devices");
        using var lab = new PolicyNamespaceLab(Device);
        lab.Load(SessionTableTests.Ruleset(acceptFirst: true));
        using var tracer = Tracer(lab);
        Assert.Null(tracer.Start(FlowFilter.None, 100));
        Assert.True(tracer.Running);
        Assert.Null(lab.Exec("nft", ["list", "table", "ip", NftRuleset.TraceTableName]));

        tracer.Stop();
        Assert.False(tracer.Running);
        Assert.NotNull(lab.Exec("nft", ["list", "table", "ip", NftRuleset.TraceTableName]));
    }

    [Fact]
    public void The_packet_core_is_probing_before_the_trace_table_flags_a_packet_and_stops_when_the_trace_ends()
    {
        Assert.True(ProcessPrivileges.IsRoot, "root is required: the tracer listens to nfnetlink");
        FlowProbe? attached = null;
        bool? probingAtInstall = null;
        var scripts = new List<string>();
        using var tracer = new FlowTracer(
            _ => null,
            attachProbe: probe => attached = probe,
            nft: script =>
            {
                scripts.Add(script);
                if (script.Contains("meta nftrace set 1", StringComparison.Ordinal))
                {
                    probingAtInstall = attached is not null;
                }

                return null;
            },
            readRules: () => []);
        Assert.Null(tracer.Start(FlowFilter.None, 5));
        Assert.True(probingAtInstall, "the data plane holds the probe when the table is installed");

        tracer.Stop();
        Assert.Null(attached);
        Assert.Contains(NftRuleset.RenderTraceRemoval(), scripts);

        // A refused table leaves no probe behind either.
        using var refusing = new FlowTracer(_ => null, attachProbe: probe => attached = probe, nft: _ => "refused", readRules: () => []);
        Assert.StartsWith("nftables refused the trace table: ", refusing.Start(FlowFilter.None, 5), StringComparison.Ordinal);
        Assert.Null(attached);
        Assert.False(refusing.Running);
    }

    private static FlowTracer Tracer(PolicyNamespaceLab lab) => new(
        device => device == Device.Device ? (Device.Phase1, true) : null,
        attachProbe: null,
        nft: script => lab.Exec("nft", ["-f", "-"], script),
        readRules: () => lab.Exec("nft", ["-j", "-a", "list", "table", "ip", NftRuleset.TableName], out var json) is null ? NftRuleMap.Parse(json) : [],
        subscribe: () =>
        {
            FlowTraceSubscription? subscription = null;
            lab.InNamespace(() => subscription = FlowTraceSubscription.Open());
            return subscription!;
        },
        nextHopOf: (destination, mark) =>
        {
            uint? hop = null;
            lab.InNamespace(() => hop = FlowTracer.NextHop(destination, mark));
            return hop;
        });
}
