using SharpSwan.Config;

namespace SharpSwan.Web.Persistence;

/// <summary>
/// Where an applied configuration is saved so it survives a restart. The web GUI and REST API save through this after
/// the live apply succeeded; swap in the CLI editor's store when one exists.
/// </summary>
public interface IConfigurationPersistence
{
    Task SaveAsync(GatewayConfiguration configuration, CancellationToken cancellation);
}
