using System.CommandLine;

namespace SharpSwan.Commands;

/// <summary>`sharpswan check [--config FILE]`: validate and report; exit 78 (EX_CONFIG) on any error, as ExecStartPre= expects.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var command = new Command("check", "validate a configuration file and print its errors") { config };
        command.SetAction(parse =>
        {
            var file = parse.GetValue(config)!;
            var configuration = ConfigFile.Load(file, Console.Error);
            if (configuration is null)
            {
                return ExitCodes.ConfigurationError;
            }

            Console.WriteLine($"{file.Name}: configuration OK ({configuration.Phase1.Length} phase1, {configuration.Phase2.Length} phase2, {configuration.StaticRoutes.Length} static routes)");
            return 0;
        });
        return command;
    }
}
