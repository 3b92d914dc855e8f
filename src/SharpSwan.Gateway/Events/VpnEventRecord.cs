namespace SharpSwan.Gateway.Events;

/// <summary>A stored event: its formatted line and the `name=value` fields read back from it (for display filters).</summary>
public sealed record VpnEventRecord(string Line, IReadOnlyDictionary<string, string> Fields)
{
    public static VpnEventRecord FromLine(string line) => new(line, VpnEventFormatter.Fields(line));
}
