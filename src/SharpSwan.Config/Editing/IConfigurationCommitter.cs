namespace SharpSwan.Config.Editing;

/// <summary>Where an editing session reads the running configuration and sends its finished change.</summary>
public interface IConfigurationCommitter
{
    /// <summary>The configuration in force now.</summary>
    GatewayConfiguration Current { get; }

    /// <summary>
    /// Merges <paramref name="change"/> onto the configuration in force, validates the result and applies it; one
    /// change at a time.
    /// </summary>
    Task<CommitResult> CommitAsync(ConfigurationChange change, CancellationToken cancellation);
}
