using SharpSwan.Platform;

namespace SharpSwan.Shell;

/// <summary>
/// Non-interactive CLI: runs lines from <c>-c</c> or standard input in ONE gateway session (so a <c>config</c> block
/// can span lines), prints the answers, and says through the exit status whether anything failed.
/// </summary>
internal static class ScriptRunner
{
    /// <param name="json">Ask for each answer in JSON (<c>--json</c>: the monitor commands, in the REST monitor's shape).</param>
    public static async Task<int> RunAsync(string socketPath, IEnumerable<string> lines, TextWriter output, TextWriter errors, CancellationToken cancellation, bool json = false)
    {
        await using var client = await ControlSessionClient.ConnectAsync(socketPath, output, cancellation);
        if (client is null)
        {
            return ShellExitCodes.NoGateway;
        }

        var status = ShellExitCodes.Success;
        try
        {
            foreach (var line in lines)
            {
                if (string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith('#'))
                {
                    continue;
                }

                if (await client.ExecuteAsync(line, output, cancellation, json) != 0)
                {
                    status = ShellExitCodes.CommandFailed;
                }

                if (cancellation.IsCancellationRequested)
                {
                    // Ctrl-C stopped the command (a streaming diagnose, say); it also stops the script.
                    return ShellExitCodes.CommandFailed;
                }
            }
        }
        catch (IOException ex)
        {
            await errors.WriteLineAsync($"sharpswan cli: {ex.Message}");
            return ShellExitCodes.NoGateway;
        }

        if (IsInsideConfig(client.Prompt))
        {
            await errors.WriteLineAsync($"sharpswan cli: the script ended inside a config block ({client.Prompt.Trim()}); its changes were not applied (missing 'end')");
            return ShellExitCodes.CommandFailed;
        }

        return status;
    }

    /// <summary>Top-level prompts are "name # "; inside config they carry the scope: "name (phase1-interface) # ".</summary>
    public static bool IsInsideConfig(string prompt) => prompt.Contains(" (", StringComparison.Ordinal);
}
