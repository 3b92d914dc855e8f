using System.CommandLine;

namespace SharpSwan.Commands;

/// <summary>
/// `sharpswan check [--config FILE] [--state-dir DIR] [--strict]`: validate and report; exit 78 (EX_CONFIG) on any error,
/// as ExecStartPre= expects. The state directory holds the key of the file's encrypted secrets.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var strict = new Option<bool>("--strict")
        {
            Description = "also refuse the file for warnings (tables kept but not acted on, converted spellings)",
        };
        var state = new Option<DirectoryInfo?>("--state-dir")
        {
            Description = "the state directory `run` uses, where the key of encrypted secrets is kept (default: beside the file)",
        };
        var command = new Command("check", "validate a configuration file and print its errors and warnings") { config, state, strict };
        command.SetAction(parse =>
        {
            var file = parse.GetValue(config)!;
            using var keys = new Service.SecretKeyScope(file.FullName, parse.GetValue(state)?.FullName);
            var configuration = ConfigFile.Load(file, Console.Error, parse.GetValue(strict));
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
