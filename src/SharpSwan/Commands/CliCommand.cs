using System.CommandLine;
using SharpSwan.Platform;
using SharpSwan.Shell;

namespace SharpSwan.Commands;

/// <summary>
/// `sharpswan cli [--control SOCK] [-c CMD]...`: FortiOS-style commands against a running gateway, in one session.
/// With -c (repeatable) or commands on standard input it runs them and exits non-zero if any failed; on a terminal it
/// is the interactive shell. With --json the monitor commands answer in the REST monitor's JSON (no HTTPS, no token).
/// </summary>
internal static class CliCommand
{
    public static Command Create()
    {
        var control = CommonOptions.Control();
        var commands = new Option<string[]>("-c")
        {
            Description = "command to run (repeatable; all run in one session)",
            AllowMultipleArgumentsPerToken = false,
        };
        var json = new Option<bool>("--json")
        {
            Description = "answer the monitor commands (get vpn ipsec tunnel summary|details, diagnose vpn tunnel list, diagnose vpn ike gateway list, get system status) in JSON, with the REST monitor's fields",
        };
        var command = new Command("cli", "FortiOS-style shell of a running gateway (interactive on a terminal)") { control, commands, json };
        command.SetAction(async (parse, cancellation) =>
        {
            var path = parse.GetValue(control)!;
            var list = parse.GetValue(commands) ?? [];
            var asJson = parse.GetValue(json);
            if (list.Length > 0 || Console.IsInputRedirected)
            {
                IEnumerable<string> lines = list.Length > 0 ? list : ReadStandardInput();
                return await ScriptRunner.RunAsync(path, lines, Console.Out, Console.Error, cancellation, asJson);
            }

            if (asJson)
            {
                await Console.Error.WriteLineAsync("sharpswan cli: --json is for scripts: give the commands with -c or on standard input");
                return ShellExitCodes.CommandFailed;
            }

            await using var client = await ControlSessionClient.ConnectAsync(path, Console.Out, cancellation);
            if (client is null)
            {
                return ShellExitCodes.NoGateway;
            }

            return await new InteractiveShell(client, new ConsoleKeySource(), Console.Out).RunAsync();
        });
        return command;
    }

    private static IEnumerable<string> ReadStandardInput()
    {
        while (Console.In.ReadLine() is { } line)
        {
            yield return line;
        }
    }
}
