using SharpSwan.Config;
using SharpSwan.Gateway.Control;

namespace SharpSwan.Web.Tests.Support;

/// <summary>Stands in for the running gateway: keeps what was applied, can be told to refuse.</summary>
internal sealed class FakeConfigurationApplier(GatewayConfiguration initial) : IConfigurationApplier
{
    private readonly Lock _gate = new();
    private readonly List<GatewayConfiguration> _applied = [];

    public GatewayConfiguration Current { get; private set; } = initial;

    public int Revision { get; private set; } = 1;

    /// <summary>When set, every apply fails with this message (as a netlink error would).</summary>
    public string? FailWith { get; set; }

    public IReadOnlyList<GatewayConfiguration> Applied
    {
        get
        {
            lock (_gate)
            {
                return [.. _applied];
            }
        }
    }

    /// <summary>Who asked for each change, refused ones included, in order.</summary>
    public List<ChangeAuthor> Authors { get; } = [];

    public Task<ConfigurationApplyResult> ApplyAsync(GatewayConfiguration proposed, ChangeAuthor author, CancellationToken cancellation)
    {
        lock (_gate)
        {
            Authors.Add(author);
            if (FailWith is { } error)
            {
                return Task.FromResult(new ConfigurationApplyResult(false, Revision, [], error));
            }

            _applied.Add(proposed);
            Current = proposed;
            Revision++;
            return Task.FromResult(new ConfigurationApplyResult(true, Revision, [], null));
        }
    }
}
