using System.Globalization;

namespace SharpSwan.Platform;

/// <summary>
/// The control socket's session mode, kept backward compatible with one-command connections. All messages are UTF-8
/// lines ending in \n:
/// <list type="bullet">
/// <item>Client opens with <see cref="SessionHello"/>; the server answers with an end-of-response line (status 0 and the
/// first prompt). A connection that does not open with it gets the old behaviour: one command, then the server closes.</item>
/// <item>Then any number of requests, each answered by output lines and ONE end-of-response line,
/// <c>\x04&lt;status&gt; &lt;prompt&gt;</c>: status 0, or FortiOS's return code when the answer's last line was
/// <c>Command fail. Return code n</c>; the prompt is the session's next one (it changes with <c>config</c>/<c>edit</c>).</item>
/// <item>A request is a command line, <c>\x11</c>+partial line (Tab completion: one candidate per line) or
/// <c>\x12</c>+partial line (<c>?</c> help text), or <c>\x13</c>+command line (the same command answered in JSON, the REST
/// monitor's shape: <c>sharpswan cli --json</c>).</item>
/// <item>While a command runs the client may send <see cref="Interrupt"/> (a line holding only \x03, i.e. Ctrl-C): the
/// command's cancellation token fires, it stops (a streaming diagnose ends) and the end-of-response follows as usual.
/// Hanging up cancels it too.</item>
/// </list>
/// </summary>
public static class ControlProtocol
{
    /// <summary>First line of a session-mode client (SOH, then a version word).</summary>
    public const string SessionHello = "\u0001sharpswan-session 1";

    /// <summary>A line holding only ETX (Ctrl-C): stop the running command.</summary>
    public const string Interrupt = "\u0003";

    /// <summary>EOT starts the line that ends every response.</summary>
    public const char EndOfResponse = '\u0004';

    /// <summary>DC1 + partial line: asks for completions of the last word.</summary>
    public const char CompleteRequest = '\u0011';

    /// <summary>DC2 + partial line: asks for <c>?</c> help.</summary>
    public const char HelpRequest = '\u0012';

    /// <summary>DC3 + command line: run it with its answer in JSON.</summary>
    public const char JsonRequest = '\u0013';

    /// <summary>e.g. "\x04-61 sharpswan (to-branch) # ".</summary>
    public static string FormatEnd(int status, string prompt) =>
        EndOfResponse + status.ToString(CultureInfo.InvariantCulture) + " " + prompt;

    /// <summary>Parses an end-of-response line; false for any other line.</summary>
    public static bool TryParseEnd(string line, out int status, out string prompt)
    {
        ArgumentNullException.ThrowIfNull(line);
        status = 0;
        prompt = "";
        if (line.Length < 2 || line[0] != EndOfResponse)
        {
            return false;
        }

        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var number = space < 0 ? line.AsSpan(1) : line.AsSpan(1, space - 1);
        if (!int.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out status))
        {
            return false;
        }

        prompt = space < 0 ? "" : line[(space + 1)..];
        return true;
    }

    /// <summary>The FortiOS return code of an answer whose last non-blank line is <c>Command fail. Return code n</c>, else 0.</summary>
    public static int StatusOf(string? lastLine)
    {
        if (lastLine is null)
        {
            return 0;
        }

        var trimmed = lastLine.AsSpan().Trim();
        return trimmed.StartsWith(ControlServer.FailurePrefix, StringComparison.Ordinal)
            && int.TryParse(trimmed[ControlServer.FailurePrefix.Length..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code)
            ? (code == 0 ? -1 : code)
            : 0;
    }
}
