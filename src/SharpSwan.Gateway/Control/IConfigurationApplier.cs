using SharpSwan.Config;

namespace SharpSwan.Gateway.Control;

/// <summary>
/// The one path by which a changed configuration reaches the running gateway (CLI, REST API, web GUI and SIGHUP reload).
/// Changes apply one at a time, as a diff: tunnels whose settings did not change keep their SAs, SPIs and counters.
/// </summary>
public interface IConfigurationApplier
{
    /// <summary>The configuration the gateway runs now.</summary>
    GatewayConfiguration Current { get; }

    /// <summary>Monotonic revision, bumped by every applied change.</summary>
    int Revision { get; }

    /// <summary>Applies a complete, already validated configuration. Serialised: concurrent callers wait their turn.</summary>
    /// <param name="author">Who made the change (the service log records it with the outcome).</param>
    Task<ConfigurationApplyResult> ApplyAsync(GatewayConfiguration proposed, ChangeAuthor author, CancellationToken cancellation);
}
