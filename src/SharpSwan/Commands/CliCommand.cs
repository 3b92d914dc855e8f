using System.CommandLine;
using SharpSwan.Platform;

namespace SharpSwan.Commands;

/// <summary>`sharpswan cli [-c CMD]...`: send commands to a running gateway (from -c, else from standard input).</summary>
internal static class CliCommand
{
    public static Command Create()
    {
        var control = CommonOptions.Control();
        var commands = new Option<string[]>("-c")
        {
            Description = "command to run (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("cli", "run FortiOS-style commands against a running gateway") { control, commands };
        command.SetAction(async (parse, cancellation) =>
        {
            var path = parse.GetValue(control)!;
            var list = parse.GetValue(commands) ?? [];
            IEnumerable<string> lines = list.Length > 0 ? list : ReadStandardInput();
            var status = 0;
            foreach (var line in lines)
            {
                if (string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith('#'))
                {
                    continue;
                }

                var code = await ControlClient.SendAsync(path, line, Console.Out, cancellation);
                if (code == ControlClient.NotRunningExitCode)
                {
                    return code;
                }

                status = Math.Max(status, code);
            }

            return status;
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
