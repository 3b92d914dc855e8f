using System.Net;

namespace SharpSwan.Simulate;

/// <summary>One parsed script line. Only the fields its <see cref="Kind"/> uses are set.</summary>
public sealed record ScriptCommand(int Line, ScriptCommandKind Kind, string Text)
{
    public string? Gateway { get; init; }

    /// <summary>The second gateway of a link command (`link down a b`).</summary>
    public string? Peer { get; init; }

    public IPAddress? Source { get; init; }

    public IPAddress? Destination { get; init; }

    /// <summary>Advance, At, Latency, and the traffic interval.</summary>
    public TimeSpan? Time { get; init; }

    public double? Percent { get; init; }

    public int Count { get; init; } = 1;

    public string? Phase1 { get; init; }

    public string? Phase2 { get; init; }

    /// <summary>A file (config) or an address (gateway).</summary>
    public string? Argument { get; init; }

    /// <summary>`traffic off all`.</summary>
    public bool All { get; init; }
}
