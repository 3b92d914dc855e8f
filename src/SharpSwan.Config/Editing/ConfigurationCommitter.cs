namespace SharpSwan.Config.Editing;

/// <summary>
/// Commits changes one at a time: under one lock it merges the change onto the configuration in force (refusing
/// entries someone else changed meanwhile), validates the whole result, and only then applies it.
/// </summary>
/// <param name="current">Reads the configuration in force.</param>
/// <param name="apply">Applies a validated configuration (and saves it).</param>
public sealed class ConfigurationCommitter(
    Func<GatewayConfiguration> current,
    Func<GatewayConfiguration, CancellationToken, Task<CommitResult>> apply) : IConfigurationCommitter, IDisposable
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public GatewayConfiguration Current => current();

    public async Task<CommitResult> CommitAsync(ConfigurationChange change, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(change);
        await _oneAtATime.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            var inForce = current();
            var merge = change.Merge(inForce);
            if (!merge.IsValid)
            {
                return new CommitResult(false, merge.Errors);
            }

            if (merge.Configuration!.Equals(inForce))
            {
                return CommitResult.Success;
            }

            // Once validated the change goes through even if the client leaves: a half-applied change is worse.
            return await apply(merge.Configuration, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public void Dispose() => _oneAtATime.Dispose();
}
