namespace SharpSwan.Config;

/// <summary>
/// Reads a configuration file in FortiOS CLI syntax (what <c>show full-configuration</c> prints).
/// Never throws for bad input: every problem comes back in <see cref="ConfigurationResult.Errors"/>.
/// </summary>
public static class ConfigurationLoader
{
    public static ConfigurationResult LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new ConfigurationResult(null, [new ConfigError(path, 0, 0, "cannot read configuration file", e.Message)]);
        }

        var result = ParseFileText(text, path);
        return PermissionWarning(path) is { } warning ? result with { Warnings = [warning] } : result;
    }

    /// <summary>
    /// <paramref name="text"/> read as the file at <paramref name="path"/> would be: relative certificate-file,
    /// private-key-file and ca-file paths relative to it, and its secrets opened with its keyring.
    /// </summary>
    internal static ConfigurationResult ParseFileText(string text, string path) =>
        Parse(text, path, Path.GetDirectoryName(Path.GetFullPath(path)), SecretKeyring.ForConfigurationFile(path));

    /// <summary>
    /// The file holds pre-shared keys and passwords: a warning when its group or others may read or write it, null otherwise.
    /// </summary>
    public static string? PermissionWarning(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows() || !File.Exists(path))
        {
            return null;
        }

        const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOthers) == 0)
        {
            return null;
        }

        return $"warning: {path} holds secrets but its mode is {Convert.ToString((int)mode, 8).PadLeft(4, '0')} (group or others may read it); run: chmod 600 {path}";
    }

    /// <param name="text">The configuration text.</param>
    /// <param name="fileName">Name used in error messages (e.g. <c>hq.conf</c>).</param>
    /// <remarks>Relative <c>*-file</c> paths in the text are relative to the current directory.</remarks>
    /// <remarks>Stored secrets are decrypted with <see cref="SecretKeyring.Current"/>.</remarks>
    public static ConfigurationResult Parse(string text, string fileName) => Parse(text, fileName, baseDirectory: null, SecretKeyring.Current);

    internal static ConfigurationResult Parse(string text, string fileName, string? baseDirectory, SecretKeyring keyring)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var diagnostics = new DiagnosticBag(fileName) { Keyring = keyring };
        var lines = ConfigTokenizer.Tokenize(text, diagnostics);
        var document = RawConfigReader.Read(lines, diagnostics);
        var configuration = ConfigurationBuilder.Build(document, diagnostics, baseDirectory);
        return new ConfigurationResult(diagnostics.HasErrors ? null : configuration, diagnostics.ToSortedArray())
        {
            ConfigWarnings = diagnostics.SortedWarnings(),
        };
    }
}
