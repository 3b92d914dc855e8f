using System.CommandLine;

namespace SharpSwan.Commands;

/// <summary>`sharpswan check --config FILE [--strict]`: validate and report, exit non-zero on any error.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var strict = new Option<bool>("--strict")
        {
            Description = "also refuse the file for warnings (tables kept but not acted on, converted spellings)",
        };
        var command = new Command("check", "validate a configuration file and print its errors and warnings") { config, strict };
        command.SetAction(parse =>
        {
            var file = parse.GetValue(config)!;
            var configuration = ConfigFile.Load(file, Console.Error, parse.GetValue(strict));
            if (configuration is null)
            {
                return 1;
            }

            Console.WriteLine($"{file.Name}: configuration OK ({configuration.Phase1.Length} phase1, {configuration.Phase2.Length} phase2, {configuration.StaticRoutes.Length} static routes)");
            return 0;
        });
        return command;
    }
}
