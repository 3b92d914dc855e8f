using SharpSwan.Config;

namespace SharpSwan.Web.Persistence;

/// <summary>Saves through the CLI's <see cref="ConfigurationStore"/>: the same atomic write and kept revisions as <c>end</c> in the CLI.</summary>
public sealed class ConfigurationStorePersistence(ConfigurationStore store) : IConfigurationPersistence
{
    public Task SaveAsync(GatewayConfiguration configuration, CancellationToken cancellation) =>
        Task.Run(() => store.Save(configuration), CancellationToken.None);
}
