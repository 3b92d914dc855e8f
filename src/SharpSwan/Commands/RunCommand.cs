using System.CommandLine;
using Microsoft.Extensions.Logging;
using SharpSwan.Service;

namespace SharpSwan.Commands;

/// <summary>
/// `sharpswan run [--config FILE] [--state-dir DIR]`: the gateway in the foreground until SIGINT/SIGTERM; SIGHUP
/// reloads the file. Exit 78 for a configuration error, 77 for a missing privilege, 1 for anything else.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var control = CommonOptions.Control();
        var state = CommonOptions.StateDirectory();
        var level = new Option<int>("--log-level")
        {
            Description = "IKE debug level on stdout: -1 all, 0 none, 1 events, 2 negotiation, 3 packets",
            DefaultValueFactory = _ => 1,
        };
        var user = new Option<string?>("--user")
        {
            Description = "started as root: run as this user (default: sharpswan if it exists, else root) with only CAP_NET_ADMIN, CAP_NET_RAW and CAP_NET_BIND_SERVICE",
        };
        var command = new Command("run", "run the gateway in the foreground (SIGHUP reloads the configuration file)") { config, control, state, level, user };
        command.SetAction(parse =>
        {
            var settings = new RunSettings(parse.GetValue(config)!, parse.GetValue(control)!, parse.GetValue(state)!, parse.GetValue(level), parse.GetValue(user));
            using var loggers = ServiceLogging.Create();
            return new GatewayRunner(settings, loggers.CreateLogger("sharpswan"), loggers).Run();
        });
        return command;
    }
}
