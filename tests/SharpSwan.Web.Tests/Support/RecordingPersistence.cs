using SharpSwan.Config;
using SharpSwan.Web.Persistence;

namespace SharpSwan.Web.Tests.Support;

/// <summary>Keeps every saved configuration, as the file would have received it.</summary>
internal sealed class RecordingPersistence : IConfigurationPersistence
{
    private readonly Lock _gate = new();
    private readonly List<string> _saved = [];

    public IReadOnlyList<string> Saved
    {
        get
        {
            lock (_gate)
            {
                return [.. _saved];
            }
        }
    }

    public Task SaveAsync(GatewayConfiguration configuration, CancellationToken cancellation)
    {
        lock (_gate)
        {
            _saved.Add(ConfigurationWriter.Write(configuration, fullConfiguration: false));
        }

        return Task.CompletedTask;
    }
}
