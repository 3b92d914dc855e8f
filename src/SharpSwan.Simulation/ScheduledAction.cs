namespace SharpSwan.Simulation;

/// <summary>Work the simulation runs at a virtual time, once or every period; disposing it cancels the rest.</summary>
internal sealed class ScheduledAction(Action action, TimeSpan? period) : IDisposable
{
    public Action Action { get; } = action;

    public TimeSpan? Period { get; } = period;

    public bool Cancelled { get; private set; }

    public void Dispose() => Cancelled = true;
}
