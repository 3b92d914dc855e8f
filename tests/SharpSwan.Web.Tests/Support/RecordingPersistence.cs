using SharpSwan.Config;
using SharpSwan.Web.Persistence;

namespace SharpSwan.Web.Tests.Support;

/// <summary>Keeps every saved configuration, as the file would have received it.</summary>
internal sealed class RecordingPersistence : IConfigurationPersistence
{
    private readonly Lock gate = new();
    private readonly List<string> saved = [];

    public IReadOnlyList<string> Saved
    {
        get
        {
            lock (gate)
            {
                return [.. saved];
            }
        }
    }

    public Task SaveAsync(GatewayConfiguration configuration, CancellationToken cancellation)
    {
        lock (gate)
        {
            saved.Add(ConfigurationWriter.Write(configuration, fullConfiguration: false));
        }

        return Task.CompletedTask;
    }
}
