using System.Text.RegularExpressions;

namespace SharpSwan.Tests.Shell;

/// <summary>
/// The interactive shell in a real terminal (tmux): prompts, Tab completion, <c>?</c> help, cursor keys, history,
/// a configuration change applied, and Ctrl-C stopping a streaming command without leaving the shell.
/// </summary>
public sealed class InteractiveShellTmuxTests : IDisposable
{
    private readonly InProcessGateway _gateway = new();

    public void Dispose() => _gateway.Dispose();

    [Fact]
    public void AdministratorSession_InARealTerminal()
    {
        using var terminal = new TmuxTerminal("dotnet", Path.Combine(AppContext.BaseDirectory, "sharpswan.dll"), "cli", "--control", _gateway.SocketPath);
        terminal.WaitFor("sharpswan # ");

        // Tab completes keywords and table paths.
        terminal.Type("conf");
        terminal.Press("Tab");
        terminal.WaitFor("sharpswan # config ");
        terminal.Type("vpn ipsec phase1-i");
        terminal.Press("Tab");
        terminal.WaitFor("sharpswan # config vpn ipsec phase1-interface ");
        terminal.Press("Enter");
        terminal.WaitFor("sharpswan (phase1-interface) # ");

        // ... and entry names.
        terminal.Type("edit to-b");
        terminal.Press("Tab");
        terminal.WaitFor("sharpswan (phase1-interface) # edit to-branch ");
        terminal.Press("Enter");
        terminal.WaitFor("sharpswan (to-branch) # ");

        // ? lists what may follow with description, range and default, and keeps the line.
        terminal.Type("set keylife ?");
        // Wait for the redrawn prompt as well: the help lines reach the screen a moment before it.
        var help = terminal.WaitFor(
            s => Regex.IsMatch(s, @"<integer> +phase 1 \(IKE SA\) lifetime in seconds \(120-172800, default 86400\)") &&
                 s.Split('\n').Last(l => l.Length > 0).Contains("sharpswan (to-branch) # set keylife ", StringComparison.Ordinal),
            "the keylife help and the prompt kept below it");
        Assert.Contains("sharpswan (to-branch) # set keylife ", help.Split('\n').Last(l => l.Length > 0), StringComparison.Ordinal);

        // Enum values complete too.
        terminal.Type("7200");
        terminal.Press("Enter");
        terminal.Type("set dpd on-i");
        terminal.Press("Tab");
        terminal.WaitFor("set dpd on-idle ");
        terminal.Press("Enter");
        terminal.Type("end");
        terminal.Press("Enter");
        terminal.WaitFor(s => s.TrimEnd().EndsWith("sharpswan #", StringComparison.Ordinal), "the top-level prompt after end");
        var phase1 = _gateway.Applier.Current.FindPhase1("to-branch")!;
        Assert.Equal(7200, phase1.KeyLifeSeconds);
        Assert.Equal(Config.DpdMode.OnIdle, phase1.Dpd);

        // Cursor keys edit in the middle of the line: "summry" becomes "summary".
        terminal.Type("get vpn ipsec tunnel summry");
        terminal.Press("Left", "Left");
        terminal.Type("a");
        terminal.Press("Enter");
        terminal.WaitFor("'to-branch' 198.51.100.2:0  selectors(total,up): 1/0");

        // History: Up brings the last command back.
        terminal.Press("Up");
        terminal.WaitFor(s => s.TrimEnd().EndsWith("sharpswan # get vpn ipsec tunnel summary", StringComparison.Ordinal), "the recalled command");
        terminal.Press("C-u");

        // A streaming command runs until Ctrl-C, and the shell carries on.
        terminal.Type("diagnose debug enable");
        terminal.Press("Enter");
        var prompts = CountPrompts(terminal.Screen());
        terminal.Press("C-c");
        terminal.WaitFor(s => CountPrompts(s) > prompts, "a new prompt after Ctrl-C");
        terminal.Type("show system global");
        terminal.Press("Enter");
        terminal.WaitFor("config system global");
    }

    private static int CountPrompts(string screen) => Regex.Matches(screen, "sharpswan # ").Count;
}
