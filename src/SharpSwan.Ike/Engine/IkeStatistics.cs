namespace SharpSwan.Ike.Engine;

/// <summary>
/// Gateway-wide IKE counters (`diagnose vpn ike stats`). Written on the engine's thread only; read there too (the
/// gateway reads them through its engine loop).
/// </summary>
public sealed class IkeStatistics
{
    /// <summary>Messages for a known IKE SA whose first payload was not SK (or that came before its keys): dropped unanswered.</summary>
    public long UnprotectedDropped { get; internal set; }

    /// <summary>Messages whose SK payload was malformed or failed its integrity check: dropped unanswered.</summary>
    public long IntegrityFailed { get; internal set; }
}
