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

        // Relative certificate-file, private-key-file and ca-file paths are relative to the configuration file.
        return Parse(text, path, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <param name="text">The configuration text.</param>
    /// <param name="fileName">Name used in error messages (e.g. <c>hq.conf</c>).</param>
    /// <remarks>Relative <c>*-file</c> paths in the text are relative to the current directory.</remarks>
    public static ConfigurationResult Parse(string text, string fileName) => Parse(text, fileName, baseDirectory: null);

    internal static ConfigurationResult Parse(string text, string fileName, string? baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var diagnostics = new DiagnosticBag(fileName);
        var lines = ConfigTokenizer.Tokenize(text, diagnostics);
        var document = RawConfigReader.Read(lines, diagnostics);
        var configuration = ConfigurationBuilder.Build(document, diagnostics, baseDirectory);
        return new ConfigurationResult(diagnostics.HasErrors ? null : configuration, diagnostics.ToSortedArray());
    }
}
