using System.Globalization;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Control;

/// <summary>Who made a configuration change, as the service log records it.</summary>
/// <param name="Name">The admin or api-user; for the CLI the local user the kernel vouches for; <c>reload</c> for SIGHUP.</param>
/// <param name="Source">The way the change came.</param>
/// <param name="From">Where from: the client's address for the web, <c>uid N pid M</c> for the CLI, <c>SIGHUP</c> for a reload.</param>
public sealed record ChangeAuthor(string Name, ChangeSource Source, string From)
{
    /// <summary>SIGHUP: the configuration file read again.</summary>
    public static ChangeAuthor Reload { get; } = new("reload", ChangeSource.Reload, "SIGHUP");

    /// <summary>A CLI client of the control socket.</summary>
    public static ChangeAuthor Cli(ControlPeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return new ChangeAuthor(
            peer.UserName,
            ChangeSource.Cli,
            string.Create(CultureInfo.InvariantCulture, $"uid {peer.UserId} pid {peer.ProcessId}"));
    }

    /// <summary>The source as the log writes it: cli, rest, gui, reload.</summary>
    public string SourceName => Source.ToString().ToLowerInvariant();
}
