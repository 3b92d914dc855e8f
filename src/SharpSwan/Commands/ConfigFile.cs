using SharpSwan.Config;

namespace SharpSwan.Commands;

internal static class ConfigFile
{
    /// <summary>
    /// Loads and validates; prints every warning and error as `file:line: message` and returns null on any error (with
    /// <paramref name="strict"/>, on any warning too).
    /// </summary>
    public static GatewayConfiguration? Load(FileInfo file, TextWriter errors, bool strict = false) =>
        Load(file, errors, strict, out _);

    /// <param name="file">The configuration file.</param>
    /// <param name="errors">Where warnings and errors go.</param>
    /// <param name="strict">Refuse the file for warnings too.</param>
    /// <param name="oldSecrets">True when it holds secrets in SharpSwan's old base64 form (to be saved encrypted).</param>
    public static GatewayConfiguration? Load(FileInfo file, TextWriter errors, bool strict, out bool oldSecrets)
    {
        oldSecrets = false;
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

        foreach (var warning in result.ConfigWarnings)
        {
            errors.WriteLine(warning.ToString());
        }

        if (result.IsValid && result.Configuration is { } configuration)
        {
            oldSecrets = result.ConfigWarnings.Any(w => w.Kind == WarningKind.LegacySecret);
            if (strict && result.ConfigWarnings.Length > 0)
            {
                errors.WriteLine($"{file.Name}: {result.ConfigWarnings.Length} warning(s) and --strict; configuration refused");
                return null;
            }

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
