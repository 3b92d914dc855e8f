using SharpSwan.Config;
using SharpSwan.Gateway.Control;

namespace SharpSwan.Gateway.Tests.Control;

/// <summary>Stands in for the running gateway: records each configuration applied, or refuses when told to.</summary>
internal sealed class RecordingApplier(GatewayConfiguration initial) : IConfigurationApplier
{
    private readonly Lock _lock = new();

    public GatewayConfiguration Current { get; private set; } = initial;

    public int Revision { get; private set; }

    public string? RefuseWith { get; set; }

    public List<GatewayConfiguration> Applied { get; } = [];

    /// <summary>Who asked for each change, refused ones included, in order.</summary>
    public List<ChangeAuthor> Authors { get; } = [];

    public Task<ConfigurationApplyResult> ApplyAsync(GatewayConfiguration proposed, ChangeAuthor author, CancellationToken cancellation)
    {
        lock (_lock)
        {
            Authors.Add(author);
            if (RefuseWith is { } reason)
            {
                return Task.FromResult(new ConfigurationApplyResult(false, Revision, [], reason));
            }

            Current = proposed;
            Applied.Add(proposed);
            Revision++;
            return Task.FromResult(new ConfigurationApplyResult(true, Revision, [], null));
        }
    }
}
