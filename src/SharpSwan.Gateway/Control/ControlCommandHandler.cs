using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Gateway.Hosting;
using SharpSwan.Ike.Engine;

namespace SharpSwan.Gateway.Control;

/// <summary>
/// Answers the commands an administrator types at the control socket, in FortiOS words and output shapes.
/// Unknown input gets FortiOS's `command parse error` answer and a failing return code.
/// </summary>
public sealed class ControlCommandHandler(EngineLoop loop, EspDataPlane dataPlane, TimeProvider time)
{
    /// <summary>Where configuration changes go (the running gateway); null in tests that only read.</summary>
    public IConfigurationApplier? Applier { get; init; }

    /// <summary>Configuration editing (config, edit, set, show, get, ...); made from <see cref="Applier"/>, without saving, when not given.</summary>
    public ConfigCommands? Configuration { get; init; }

    /// <summary>The diagnose toolbox (debug streaming, sniffer, event log, tunnel flush/stat); a bare one when not set.</summary>
    public DiagnoseCommands? Diagnose { get; init; }

    /// <summary>A one-shot command in a fresh session (the control socket's one-command-per-connection mode).</summary>
    public Task HandleAsync(string command, TextWriter output, CancellationToken cancellation) =>
        HandleAsync(new ControlSession(), command, output, cancellation);

    private ConfigCommands? fallbackConfiguration;

    private ConfigCommands? ConfigurationCommands => Configuration
        ?? (Applier is null ? null : LazyInitializer.EnsureInitialized(ref fallbackConfiguration, () => new ConfigCommands(Applier, store: null)));

    /// <summary>A session for one control-socket connection: <c>ControlServer.Start(path, handler.OpenSession)</c>.</summary>
    public Platform.IControlSession OpenSession() => new ConfigCommands.Session(this, ConfigurationCommands);

    public async Task HandleAsync(ControlSession session, string command, TextWriter output, CancellationToken cancellation)
    {
        if (ConfigurationCommands is { } configuration && await configuration.TryHandleAsync(session, command, output, cancellation))
        {
            return;
        }

        var words = Tokenize(command);
        if (words.Count == 0)
        {
            return;
        }

        if (Matches(words, "get", "vpn", "ipsec", "tunnel", "summary"))
        {
            await output.WriteAsync(await loop.InvokeAsync(engine => TunnelReports.Summary(engine, dataPlane)));
        }
        else if (Matches(words, "diagnose", "vpn", "tunnel", "list"))
        {
            var name = NameArgument(words, 4);
            await output.WriteAsync(await loop.InvokeAsync(engine => TunnelReports.TunnelList(engine, dataPlane, time, name, DiagnoseCommands.WantsKeys(words))));
        }
        else if (Matches(words, "diagnose", "vpn", "ike", "gateway", "list"))
        {
            var name = NameArgument(words, 5);
            await output.WriteAsync(await loop.InvokeAsync(engine => TunnelReports.GatewayList(engine, time, name)));
        }
        else if (Matches(words, "diagnose", "vpn", "ike", "gateway", "clear"))
        {
            var name = NameArgument(words, 5);
            await loop.InvokeAsync(engine =>
            {
                foreach (var tunnel in engine.Tunnels.Where(t => name is null || t.Name == name).ToList())
                {
                    engine.Terminate(tunnel.Name, null);
                }

                return true;
            });
        }
        else if (Matches(words, "diagnose", "vpn", "ike", "gateway", "rekey"))
        {
            // SharpSwan extension: rekey the IKE SA now, keeping the child SAs.
            var name = NameArgument(words, 5);
            var done = await loop.InvokeAsync(engine => engine.Tunnels.Where(t => name is null || t.Name == name).ToList().Count(t => engine.RekeyIke(t.Name)));
            if (done == 0)
            {
                await output.WriteAsync("no established IKE SA to rekey\nCommand fail. Return code -3\n");
            }
        }
        else if (words.Count >= 4 && Matches(words, "diagnose", "vpn", "tunnel") && words[3] is "up" or "down" or "rekey")
        {
            await TunnelAction(words, output);
        }
        else if (DiagnoseCommands.Recognizes(words))
        {
            await (Diagnose ?? new DiagnoseCommands(loop, dataPlane, time)).HandleAsync(session, words, output, cancellation);
        }
        else
        {
            var bad = FirstUnknown(words);
            await output.WriteAsync($"command parse error before '{bad}'\nCommand fail. Return code -61\n");
        }
    }

    private async Task TunnelAction(IReadOnlyList<string> words, TextWriter output)
    {
        var action = words[3];
        if (words.Count < 5)
        {
            await output.WriteAsync($"diagnose vpn tunnel {action} <phase2> [<phase1>]: phase2 name missing\nCommand fail. Return code -160\n");
            return;
        }

        var phase2 = words[4];
        var phase1 = words.Count > 5 ? words[5] : null;
        var result = await loop.InvokeAsync(engine => DiagnoseCommands.TunnelAction(engine, action, phase2, phase1));
        if (result is not null)
        {
            await output.WriteAsync($"{result}\nCommand fail. Return code -3\n");
        }
    }

    private static bool Matches(IReadOnlyList<string> words, params string[] prefix)
    {
        if (words.Count < prefix.Length)
        {
            return false;
        }

        for (var i = 0; i < prefix.Length; i++)
        {
            // FortiOS accepts unambiguous abbreviations (`diag`, `get vpn ipsec tun sum`).
            if (!prefix[i].StartsWith(words[i], StringComparison.OrdinalIgnoreCase) || words[i].Length < Math.Min(3, prefix[i].Length))
            {
                return false;
            }
        }

        return true;
    }

    private static string? NameArgument(IReadOnlyList<string> words, int index) =>
        words.Count > index + 1 && words[index] == "name" ? words[index + 1] : null;

    private static string FirstUnknown(IReadOnlyList<string> words)
    {
        string[] known = ["get", "diagnose", "vpn", "ipsec", "tunnel", "summary", "list", "ike", "gateway", "clear", "up", "down", "rekey", "name"];
        return words.FirstOrDefault(w => !known.Any(k => k.StartsWith(w, StringComparison.OrdinalIgnoreCase))) ?? words[^1];
    }

    private static List<string> Tokenize(string command)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        char? quote = null;
        foreach (var c in command.Trim())
        {
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (current.Length > 0)
                {
                    words.Add(current.ToString());
                    current.Clear();
                }
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }
}
