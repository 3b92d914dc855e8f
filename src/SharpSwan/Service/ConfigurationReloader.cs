using Microsoft.Extensions.Logging;
using SharpSwan.Commands;
using SharpSwan.Gateway.Control;
using SharpSwan.Gateway.Hosting;

namespace SharpSwan.Service;

/// <summary>
/// SIGHUP: reads the configuration file again and, only when it validates, applies it as a diff through the gateway's
/// one commit path (serialised with CLI and web edits by the stale-edit tracker), so unchanged tunnels keep their SAs.
/// A refused file is logged with every error and the running configuration stays.
/// </summary>
internal sealed class ConfigurationReloader(GatewayService gateway, ILogger logger)
{
    /// <returns>True when the file was valid and applied.</returns>
    public bool Reload(FileInfo file)
    {
        file.Refresh();
        using var errors = new StringWriter();
        var proposed = ConfigFile.Load(file, errors);
        if (proposed is null)
        {
            logger.LogError(
                "reload of {Path} refused; the running configuration (revision {Revision}) stays: {Errors}",
                file.FullName,
                gateway.Revision,
                errors.ToString().TrimEnd().Replace('\n', ';'));
            return false;
        }

        if (errors.ToString().TrimEnd() is { Length: > 0 } warnings)
        {
            logger.LogWarning("reload of {Path}: {Warnings}", file.FullName, warnings.Replace('\n', ';'));
        }

        var result = gateway.EditTracker
            .CommitExclusiveAsync(_ => gateway.ApplyAsync(proposed, ChangeAuthor.Reload, CancellationToken.None), CancellationToken.None)
            .GetAwaiter()
            .GetResult();
        if (!result.Applied)
        {
            logger.LogError("reload of {Path} could not be applied; the running configuration stays: {Error}", file.FullName, result.Error);
            return false;
        }

        logger.LogInformation(
            "configuration reloaded from {Path} by SIGHUP: revision {Revision}, changed: {Touched}",
            file.FullName,
            result.Revision,
            result.ChangedTunnels.Count == 0 ? "nothing" : string.Join(", ", result.ChangedTunnels));
        return true;
    }
}
