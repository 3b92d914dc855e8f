using System.Text;
using SharpSwan.Config;
using SharpSwan.Config.Editing;

namespace SharpSwan.Fuzz;

/// <summary>
/// The configuration file parser and validator (<see cref="ConfigurationLoader.Parse(string, string)"/>), and the editable
/// text model the CLI and the web GUI edit (<see cref="EditableDocument.FromText"/>). A file that parses must be written
/// back by <see cref="ConfigurationWriter"/> into text that parses again.
/// </summary>
internal sealed class ConfigTarget : IFuzzTarget
{
    public string Name => "config";

    public void Run(ReadOnlySpan<byte> input)
    {
        var text = Encoding.UTF8.GetString(input);
        var result = ConfigurationLoader.Parse(text, "fuzz.conf");
        foreach (var error in result.Errors)
        {
            _ = error.ToString();
        }

        _ = EditableDocument.FromText(text).Render();
        if (result.IsValid && result.Configuration is { } configuration)
        {
            var written = ConfigurationWriter.Write(configuration, fullConfiguration: false);
            var again = ConfigurationLoader.Parse(written, "written.conf");
            if (!again.IsValid)
            {
                throw new InvalidOperationException($"a valid configuration was written as text that does not parse: {again.Errors[0]}");
            }
        }
    }

    public IEnumerable<(string Name, byte[] Data)> Seeds()
    {
        var corpus = Path.Combine(RepositoryRoot(), "tests", "SharpSwan.Config.Tests", "Corpus");
        foreach (var file in Directory.EnumerateFiles(corpus, "*.conf").Order(StringComparer.Ordinal))
        {
            var data = File.ReadAllBytes(file);
            if (data.Length <= 8192)
            {
                yield return (Path.GetFileNameWithoutExtension(file), data);
            }
        }
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SharpSwan.slnx")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
