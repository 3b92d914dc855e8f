using SharpSwan.Config.Editing;
using SharpSwan.Config.Tests.Editing;

namespace SharpSwan.Cli.Tests.Editing;

/// <summary>
/// A running configuration held in memory behind the real <see cref="ConfigurationCommitter"/>, and editors on it;
/// records every configuration applied.
/// </summary>
internal sealed class EditorHarness : IDisposable
{
    public const string Base = BaseConfiguration.Text;

    private readonly ConfigurationCommitter _committer;

    public EditorHarness(string configuration = Base)
    {
        var result = ConfigurationLoader.Parse(configuration, "base.conf");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Current = result.Configuration!;
        _committer = new ConfigurationCommitter(() => Current, (proposed, _) =>
        {
            Applied.Add(proposed);
            Current = proposed;
            return Task.FromResult(CommitResult.Success);
        });
    }

    public GatewayConfiguration Current { get; set; }

    public List<GatewayConfiguration> Applied { get; } = [];

    public IConfigurationCommitter Committer => _committer;

    public ConfigEditor NewEditor() => new(_committer);

    /// <summary>Runs the lines in one editor; returns everything printed and the last line's status.</summary>
    public static async Task<(string Output, int Status)> Run(ConfigEditor editor, params string[] lines)
    {
        var output = new StringWriter { NewLine = "\n" };
        var status = 0;
        foreach (var line in lines)
        {
            status = await editor.ExecuteAsync(line, output, CancellationToken.None);
        }

        return (output.ToString(), status);
    }

    /// <summary>After a refused command, <c>end</c> leaves the table cleanly and nothing reaches the gateway.</summary>
    public async Task EndAppliesNothing(ConfigEditor editor)
    {
        var (_, end) = await Run(editor, "end");
        Assert.Equal(0, end);
        Assert.Empty(Applied);
    }

    public void Dispose() => _committer.Dispose();
}
