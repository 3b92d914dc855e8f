using SharpSwan.Config.Editing;

namespace SharpSwan.Config.Tests.Editing;

/// <summary>
/// A running configuration held in memory behind the real <see cref="ConfigurationCommitter"/>, and editors on it;
/// records every configuration applied.
/// </summary>
internal sealed class EditorHarness : IDisposable
{
    public const string Base = """
        config vpn ipsec phase1-interface
            edit "to-branch"
                set interface "eth0"
                set ike-version 2
                set remote-gw 198.51.100.2
                set proposal aes128-sha256
                set dhgrp 14
                set psksecret "a-long-enough-secret"
            next
            edit "dialup"
                set type dynamic
                set interface "eth0"
                set ike-version 2
                set psksecret "another-secret"
            next
        end
        config vpn ipsec phase2-interface
            edit "to-branch-p2"
                set phase1name "to-branch"
                set proposal aes128-sha256
                set src-subnet 10.1.0.0 255.255.255.0
                set dst-subnet 10.2.0.0 255.255.255.0
            next
        end
        config router static
            edit 1
                set dst 10.2.0.0 255.255.255.0
                set device "to-branch"
            next
        end
        """;

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

    public void Dispose() => _committer.Dispose();
}
