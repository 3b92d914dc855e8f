namespace SharpSwan.Web.Monitoring;

/// <summary>Outcome of a monitor action: done, or why not (in the CLI's words).</summary>
public sealed record MonitorActionResult(bool Succeeded, string? Error)
{
    public static MonitorActionResult Done { get; } = new(true, null);

    public static MonitorActionResult Failed(string error) => new(false, error);
}
