using SharpSwan.Config;

namespace SharpSwan.Gateway.Control;

/// <summary>
/// The one path by which a changed configuration reaches the running gateway (CLI now; REST API and GUI later).
/// Changes apply one at a time, as a diff: tunnels whose settings did not change keep their SAs, SPIs and counters.
/// </summary>
public interface IConfigurationApplier
{
    /// <summary>The configuration the gateway runs now.</summary>
    GatewayConfiguration Current { get; }

    /// <summary>Monotonic revision, bumped by every applied change.</summary>
    int Revision { get; }

    /// <summary>Applies a complete, already validated configuration. Serialised: concurrent callers wait their turn.</summary>
    Task<ConfigurationApplyResult> ApplyAsync(GatewayConfiguration proposed, CancellationToken cancellation);
}
