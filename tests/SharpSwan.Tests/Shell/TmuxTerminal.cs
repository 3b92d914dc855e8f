using System.Diagnostics;

namespace SharpSwan.Tests.Shell;

/// <summary>
/// A program running in a real terminal: a private tmux server (its own socket, killed at the end) with one pane;
/// keys are sent as a person types them and the screen is read back with capture-pane.
/// </summary>
internal sealed class TmuxTerminal : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _server = "sst-" + Guid.NewGuid().ToString("N")[..10];
    private const string Session = "shell";

    public TmuxTerminal(params string[] command)
    {
        Run(["new-session", "-d", "-s", Session, "-x", "200", "-y", "50", .. command]);
    }

    /// <summary>Literal text, as typed.</summary>
    public void Type(string text) => Run(["send-keys", "-t", Session, "-l", text]);

    /// <summary>tmux key names: Enter, Tab, Left, Up, C-c, ...</summary>
    public void Press(params string[] keys) => Run(["send-keys", "-t", Session, .. keys]);

    /// <summary>The visible screen; -N keeps trailing spaces, so a prompt reads "sharpswan # ".</summary>
    public string Screen() => Run(["capture-pane", "-p", "-N", "-t", Session]);

    /// <summary>Reads the screen until <paramref name="condition"/> holds; fails with the last screen if it never does.</summary>
    public string WaitFor(Func<string, bool> condition, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        var screen = "";
        while (stopwatch.Elapsed < Patience)
        {
            screen = Screen();
            if (condition(screen))
            {
                return screen;
            }

            Thread.Sleep(100);
        }

        Assert.Fail($"the terminal never showed {what}; screen:\n{screen}");
        return screen;
    }

    public string WaitFor(string text) => WaitFor(s => s.Contains(text, StringComparison.Ordinal), $"'{text}'");

    public void Dispose()
    {
        try
        {
            Run(["kill-server"]);
        }
        catch (InvalidOperationException)
        {
            // The pane's program ended and took the server with it.
        }
    }

    private string Run(string[] arguments)
    {
        var start = new ProcessStartInfo("tmux")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add(_server);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot run tmux");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tmux {string.Join(" ", arguments)} failed: {error}");
        }

        return output;
    }
}
