using Microsoft.Extensions.Logging;

namespace SharpSwan.Gateway.Control;

/// <summary>
/// The service log's record of every configuration change the gateway applied or refused, with who made it: the
/// structured fields (Admin, Source, From, Revision, Changed, Error) are what log readers and tests rely on.
/// </summary>
public static class ConfigurationAudit
{
    public static void Record(ILogger log, ChangeAuthor author, ConfigurationApplyResult result)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(author);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Applied)
        {
            log.LogInformation(
                "configuration changed by {Admin} via {Source} from {From}: revision {Revision}, tunnels changed: {Changed}",
                author.Name,
                author.SourceName,
                author.From,
                result.Revision,
                result.ChangedTunnels.Count == 0 ? "none" : string.Join(", ", result.ChangedTunnels));
        }
        else
        {
            log.LogWarning(
                "configuration change by {Admin} via {Source} from {From} could not be applied; revision {Revision} stays: {Error}",
                author.Name,
                author.SourceName,
                author.From,
                result.Revision,
                result.Error);
        }
    }
}
