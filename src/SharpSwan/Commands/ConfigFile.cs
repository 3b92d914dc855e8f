using SharpSwan.Config;

namespace SharpSwan.Commands;

internal static class ConfigFile
{
    /// <summary>Loads and validates; prints every error as `file:line: message` and returns null on any.</summary>
    public static GatewayConfiguration? Load(FileInfo file, TextWriter errors)
    {
        if (!file.Exists)
        {
            errors.WriteLine($"{file.FullName}: no such file");
            return null;
        }

        var result = ConfigurationLoader.LoadFile(file.FullName);
        foreach (var warning in result.Warnings)
        {
            errors.WriteLine(warning);
        }

        if (result.IsValid && result.Configuration is { } configuration)
        {
            return configuration;
        }

        foreach (var error in result.Errors)
        {
            errors.WriteLine(error.ToString());
        }

        errors.WriteLine($"{file.Name}: {result.Errors.Length} error(s); configuration refused");
        return null;
    }
}
