using System.Net;
using SharpSwan.Simulation;

namespace SharpSwan.Simulate;

/// <summary>
/// The FortiOS-style timeline: each gateway's `diagnose debug application ike` lines stamped with virtual time since the
/// start, the script's own lines, data-plane events the engine does not log, and a summary. Lines starting with `#` are
/// about the run rather than from it.
/// </summary>
internal sealed class TextTimelineWriter(TextWriter output, DateTimeOffset start) : TimelineWriter(output, start)
{
    public override void Header(int seed, IReadOnlyList<(string Name, IPAddress Address, string Reason)> gateways)
    {
        Output.WriteLine($"# sharpswan simulate, seed {seed} (replay with --seed {seed}); times are virtual, since the start");
        foreach (var (name, address, reason) in gateways)
        {
            Output.WriteLine($"# gateway {name}: {address} ({reason})");
        }
    }

    public override void Script(DateTimeOffset time, ScriptCommand command) => Line(time, "script", command.Text);

    public override void Note(DateTimeOffset time, string gateway, string text) => Line(time, gateway, text);

    public override void Log(SimulationLogLine line) => Line(line.Time, line.Gateway, line.Text);

    public override void Event(SimulationEvent item)
    {
        var text = item.Kind switch
        {
            SimulationEventKind.OutboundActivated => $"dataplane: outbound now {item.Detail}",
            SimulationEventKind.TriggerQueueReleased or SimulationEventKind.TriggerQueueDropped => $"dataplane: trigger-queue {item.Detail}",
            SimulationEventKind.ChildRemoved when item.Detail.EndsWith("(crash)", StringComparison.Ordinal) => $"dataplane: gone {item.Detail}",
            SimulationEventKind.Crashed => $"crashed ({item.Detail}): SAs and engine gone, off the network",
            SimulationEventKind.Restarted => $"booted ({item.Detail}) with no SAs",
            SimulationEventKind.ConfigurationApplied => $"configuration applied: {item.Detail}",
            _ => null,
        };
        if (text is not null)
        {
            Line(item.Time, item.Gateway, text);
        }
    }

    public override void Flow(DateTimeOffset time, TrafficFlow flow) => Line(time, "traffic", flow.ToString());

    public override void Summary(DateTimeOffset time, IReadOnlyList<SimulatedGateway> gateways, InvariantReport report)
    {
        Output.WriteLine($"# summary at {DurationText.Format(time - Start)}");
        foreach (var gateway in gateways)
        {
            Output.WriteLine($"# {gateway}{(gateway.IsRunning ? string.Empty : " (crashed)")}, restarts {gateway.Restarts}, ESP to unknown SPIs {gateway.UnknownSpiPackets}");
            foreach (var ike in gateway.IkeSas)
            {
                Output.WriteLine($"#   IKE  {ike}");
            }

            foreach (var child in gateway.InstalledSas)
            {
                Output.WriteLine($"#   ESP  {child}");
            }

            foreach (var phase2 in gateway.Configuration.Phase2)
            {
                var rekeys = gateway.Timeline.Count(e => e.Kind == SimulationEventKind.ChildInstalled && e.IsRekey && e.Phase1 == phase2.Phase1Name && e.Phase2 == phase2.Name);
                Output.WriteLine($"#   {phase2.Phase1Name}/{phase2.Name}: {rekeys} rekeys, {gateway.Traffic(phase2.Phase1Name, phase2.Name)}");
            }
        }

        Output.WriteLine($"# invariants: {report}");
        foreach (var violation in report.Violations)
        {
            Output.WriteLine($"#   VIOLATION {violation}");
        }
    }

    public override void Failure(DateTimeOffset time, int seed, string message) =>
        Output.WriteLine($"# FAILED at {DurationText.Format(time - Start)} with seed {seed} (replay with --seed {seed}): {message}");

    private void Line(DateTimeOffset time, string who, string text) =>
        Output.WriteLine($"{DurationText.Format(time - Start)} [{who}] {text}");
}
