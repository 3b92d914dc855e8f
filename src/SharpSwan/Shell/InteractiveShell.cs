using SharpSwan.Platform;

namespace SharpSwan.Shell;

/// <summary>
/// The administrator's console: prompt, line editing, history, Tab and <c>?</c>, and Ctrl-C to stop a streaming
/// command (debug output, sniffer) without leaving the shell. <c>exit</c> or Ctrl-D at an empty prompt leaves.
/// </summary>
public sealed class InteractiveShell
{
    private readonly ControlSessionClient _client;
    private readonly IKeySource _keys;
    private readonly TextWriter _screen;
    private readonly TypeAheadKeys _typeAhead;
    private readonly LineEditor _editor;

    public InteractiveShell(ControlSessionClient client, IKeySource keys, TextWriter screen)
    {
        this._client = client;
        this._keys = keys;
        this._screen = screen;
        _typeAhead = new TypeAheadKeys(keys);
        _editor = new LineEditor(_typeAhead, screen);
    }

    public async Task<int> RunAsync()
    {
        var assistant = new SessionAssistant(_client);
        var status = ShellExitCodes.Success;
        try
        {
            while (await _editor.ReadLineAsync(_client.Prompt, assistant) is { } line)
            {
                var trimmed = line.Trim();
                if (trimmed.Length == 0)
                {
                    continue;
                }

                _editor.Remember(trimmed);
                if (trimmed is "exit" or "quit" or "logout")
                {
                    break;
                }

                if (PurgeConfirmation.Applies(trimmed, _client.Prompt) && !PurgeConfirmation.Ask(_typeAhead, _screen))
                {
                    // Declined: nothing is sent, and it is not a failure.
                    continue;
                }

                status = await RunCommandAsync(trimmed) == 0 ? ShellExitCodes.Success : ShellExitCodes.CommandFailed;
            }
        }
        catch (IOException ex)
        {
            await _screen.WriteLineAsync($"sharpswan cli: {ex.Message}");
            return ShellExitCodes.NoGateway;
        }

        return status;
    }

    /// <summary>Runs a command while watching the keyboard for Ctrl-C, which interrupts it on the gateway.</summary>
    private async Task<int> RunCommandAsync(string line)
    {
        using var interrupt = new CancellationTokenSource();
        var running = _client.ExecuteAsync(line, _screen, interrupt.Token);
        while (!running.IsCompleted)
        {
            if (_keys.KeyAvailable)
            {
                var key = _keys.ReadKey();
                if (key.KeyChar == '\u0003' || (key.Key == ConsoleKey.C && key.Modifiers.HasFlag(ConsoleModifiers.Control)))
                {
                    await interrupt.CancelAsync();
                }
                else
                {
                    // Typed ahead: it belongs to the next command line.
                    _typeAhead.Keep(key);
                }

                continue;
            }

            // Poll the keyboard while the answer streams in; the command's end wakes us at once.
            await Task.WhenAny(running, Task.Delay(50));
        }

        return await running;
    }
}
