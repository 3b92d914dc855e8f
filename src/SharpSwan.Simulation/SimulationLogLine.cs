using SharpSwan.Ike.Logging;

namespace SharpSwan.Simulation;

/// <summary>One engine debug line, stamped with the virtual time it was written at.</summary>
public sealed record SimulationLogLine(DateTimeOffset Time, string Gateway, IkeLogLevel Level, string Text)
{
    public override string ToString() => $"{Time:HH:mm:ss.fff} [{Gateway}] {Text}";
}
