namespace SharpSwan.Simulation;

/// <summary>How a link between two hosts treats datagrams. Applies in both directions.</summary>
public sealed record LinkConditions
{
    public static LinkConditions Default { get; } = new();

    /// <summary>One-way delay of every datagram.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Extra delay drawn uniformly from [0, Jitter] per datagram; anything above zero can reorder datagrams.</summary>
    public TimeSpan Jitter { get; init; } = TimeSpan.Zero;

    /// <summary>Chance (0-100) that a datagram is dropped.</summary>
    public double LossPercent { get; init; }

    /// <summary>Chance (0-100) that a datagram is delivered twice (the copy gets its own jitter).</summary>
    public double DuplicatePercent { get; init; }
}
