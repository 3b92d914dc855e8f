namespace SharpSwan.Ike.Bench;

/// <summary>The engines' time: moved by the bench only, so nothing times out while the machine is slow.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan step) => _now += step;
}
