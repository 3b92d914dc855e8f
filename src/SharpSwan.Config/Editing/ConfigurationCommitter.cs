namespace SharpSwan.Config.Editing;

/// <summary>
/// Commits CLI changes one at a time, through the gateway's shared <see cref="StaleEditTracker"/> (so web changes are
/// serialised with them too): under its lock it merges the change onto the configuration in force (refusing entries
/// someone else changed meanwhile), validates the whole result, and only then applies it.
/// </summary>
public sealed class ConfigurationCommitter : IConfigurationCommitter, IDisposable
{
    private readonly StaleEditTracker _tracker;
    private readonly Func<GatewayConfiguration, CancellationToken, Task<CommitResult>> _apply;
    private readonly bool _ownsTracker;

    /// <param name="tracker">The gateway's one tracker, shared with the other editors.</param>
    /// <param name="apply">Applies a validated configuration (and saves it).</param>
    public ConfigurationCommitter(StaleEditTracker tracker, Func<GatewayConfiguration, CancellationToken, Task<CommitResult>> apply)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(apply);
        _tracker = tracker;
        _apply = apply;
    }

    /// <summary>A committer with a tracker of its own (when it is the only editor).</summary>
    public ConfigurationCommitter(Func<GatewayConfiguration> current, Func<GatewayConfiguration, CancellationToken, Task<CommitResult>> apply)
        : this(new StaleEditTracker(current), apply)
    {
        _ownsTracker = true;
    }

    public GatewayConfiguration Current => _tracker.Current;

    public StaleEditTracker Tracker => _tracker;

    public Task<CommitResult> CommitAsync(ConfigurationChange change, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(change);
        return _tracker.CommitExclusiveAsync(
            async inForce =>
            {
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
                return await _apply(merge.Configuration, CancellationToken.None).ConfigureAwait(false);
            },
            cancellation);
    }

    public void Dispose()
    {
        if (_ownsTracker)
        {
            _tracker.Dispose();
        }
    }
}
