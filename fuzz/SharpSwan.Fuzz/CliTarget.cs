using System.Text;
using SharpSwan.Cli.Editing;
using SharpSwan.Cli.Grammar;
using SharpSwan.Config;
using SharpSwan.Config.Editing;

namespace SharpSwan.Fuzz;

/// <summary>
/// What an operator types: every input line goes through the FortiOS tokenizer (<see cref="CliTokenizer"/>, also in its
/// Tab-completion form) and then, in order, into one configuration editing session (<c>config</c>/<c>edit</c>/<c>set</c>/
/// <c>end</c>, <c>show</c>, <c>?</c>) on a small running configuration whose commits are accepted in memory.
/// </summary>
internal sealed class CliTarget : IFuzzTarget
{
    private const int MaxLines = 64;

    public string Name => "cli";

    public void Run(ReadOnlySpan<byte> input)
    {
        var lines = Encoding.UTF8.GetString(input).Split('\n', MaxLines);
        var current = FuzzBase.Configuration;
        using var committer = new ConfigurationCommitter(() => current, (proposed, _) =>
        {
            current = proposed;
            return Task.FromResult(CommitResult.Success);
        });
        var editor = new ConfigEditor(committer);
        var output = new StringWriter();
        foreach (var line in lines)
        {
            _ = CliTokenizer.Split(line, out _);
            _ = CliTokenizer.SplitPartial(line);
            editor.ExecuteAsync(line, output, CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    public IEnumerable<(string Name, byte[] Data)> Seeds()
    {
        yield return ("edit-phase1", Encoding.UTF8.GetBytes("""
            config vpn ipsec phase1-interface
            edit "to-hq"
            set interface "eth0"
            set remote-gw 203.0.113.9
            set psksecret "another-long-secret"
            next
            end
            """));
        yield return ("quoted-and-escaped", Encoding.UTF8.GetBytes("config vpn ipsec phase2-interface\nedit \"p2 \\\"x\\\"\"\nset src-subnet 10.1.0.0/24\nset dst-subnet '10.3.0.0 255.255.255.0'\nabort\n"));
        yield return ("show-and-help", Encoding.UTF8.GetBytes("show vpn ipsec phase1-interface\nconfig router static\nedit 2\nset ?\nset dst 10.9.0.0 255.255.0.0\nunset device\nend\n"));
        yield return ("delete-and-rename", Encoding.UTF8.GetBytes("config vpn ipsec phase2-interface\nrename \"to-branch-p2\" to \"p2b\"\ndelete p2b\nend\n"));
    }
}
