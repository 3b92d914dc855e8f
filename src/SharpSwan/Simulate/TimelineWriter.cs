using System.Net;
using SharpSwan.Simulation;

namespace SharpSwan.Simulate;

/// <summary>Writes the run as it happens: a FortiOS-style text log, or JSON lines (see the two implementations).</summary>
internal abstract class TimelineWriter(TextWriter output, DateTimeOffset start)
{
    protected TextWriter Output { get; } = output;

    protected DateTimeOffset Start { get; } = start;

    public abstract void Header(int seed, IReadOnlyList<(string Name, IPAddress Address, string Reason)> gateways);

    /// <summary>A script line, about to run at virtual time <paramref name="time"/>.</summary>
    public abstract void Script(DateTimeOffset time, ScriptCommand command);

    /// <summary>Something the script did not ask for but the reader should know (e.g. nothing to rekey).</summary>
    public abstract void Note(DateTimeOffset time, string gateway, string text);

    public abstract void Log(SimulationLogLine line);

    public abstract void Event(SimulationEvent item);

    public abstract void Flow(DateTimeOffset time, TrafficFlow flow);

    public abstract void Summary(DateTimeOffset time, IReadOnlyList<SimulatedGateway> gateways, InvariantReport report);

    public abstract void Failure(DateTimeOffset time, int seed, string message);
}
