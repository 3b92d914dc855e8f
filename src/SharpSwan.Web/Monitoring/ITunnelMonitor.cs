namespace SharpSwan.Web.Monitoring;

/// <summary>Live tunnel state and the administrator's tunnel actions, as the IPsec monitor and REST monitor use them.</summary>
public interface ITunnelMonitor
{
    Task<MonitorSnapshot> GetSnapshotAsync(CancellationToken cancellation);

    /// <summary>Negotiates every selector of <paramref name="phase1"/>, or only <paramref name="phase2"/>.</summary>
    Task<MonitorActionResult> BringUpAsync(string phase1, string? phase2, CancellationToken cancellation);

    /// <summary>Deletes the SAs of <paramref name="phase2"/>, or with null the whole tunnel including its IKE SA.</summary>
    Task<MonitorActionResult> BringDownAsync(string phase1, string? phase2, CancellationToken cancellation);

    /// <summary>
    /// Starts the tunnel's (and its selectors') data counters again from zero, or with <paramref name="phase2"/> only that
    /// phase 2's; on a dial-up template, every instance's. A phase 2 the tunnel does not have is refused as not found, like
    /// the other actions.
    /// </summary>
    Task<MonitorActionResult> ResetStatisticsAsync(string phase1, string? phase2, CancellationToken cancellation);
}
