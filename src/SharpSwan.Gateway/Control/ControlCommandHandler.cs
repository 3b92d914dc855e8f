using SharpSwan.Cli.Grammar;
using SharpSwan.Config.Editing;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Gateway.Hosting;

namespace SharpSwan.Gateway.Control;

/// <summary>
/// Answers the commands an administrator types at the control socket, in FortiOS words and output shapes: the
/// configuration editor's lines go to it, everything else to <see cref="OperationalCommands.Tree"/>. Unknown input
/// gets FortiOS's `command parse error` answer and a failing return code.
/// </summary>
public sealed class ControlCommandHandler(EngineLoop loop, EspDataPlane dataPlane, TimeProvider time)
{
    private const string NoIkeSaToRekey = "no established IKE SA to rekey\nCommand fail. Return code -3\n";
    private const string EntryNotFound = "entry not found in datasource\nCommand fail. Return code -3\n";
    private const string NoMonitor = "the monitor is not available here (it comes with sharpswan run)\nCommand fail. Return code -1\n";

    private ConfigCommands? _fallbackConfiguration;
    private DiagnoseCommands? _fallbackDiagnose;

    /// <summary>Where configuration changes go (the running gateway); null in tests that only read.</summary>
    public IConfigurationApplier? Applier { get; init; }

    /// <summary>Configuration editing (config, edit, set, show, get, ...); made from <see cref="Applier"/>, without saving, when not given.</summary>
    public ConfigCommands? Configuration { get; init; }

    /// <summary>The REST monitor's JSON answers for <c>--json</c> (set by the web side, which writes them); null: none.</summary>
    public Func<IMonitorJson?> MonitorJson { get; init; } = () => null;

    /// <summary>The diagnose toolbox (debug streaming, sniffer, event log, tunnel flush/stat); a bare one when not set.</summary>
    public DiagnoseCommands? Diagnose { get; init; }

    private ConfigCommands? ConfigurationCommands => Configuration
        ?? (Applier is null ? null : LazyInitializer.EnsureInitialized(ref _fallbackConfiguration, () => new ConfigCommands(Applier, store: null)));

    private DiagnoseCommands DiagnoseToolbox => Diagnose ?? LazyInitializer.EnsureInitialized(ref _fallbackDiagnose, () => new DiagnoseCommands(loop, dataPlane, time));

    /// <summary>A one-shot command in a fresh session (the control socket's one-command-per-connection mode).</summary>
    public Task HandleAsync(string command, TextWriter output, CancellationToken cancellation) =>
        HandleAsync(new ControlSession(), command, output, cancellation);

    /// <summary>A session for one control-socket connection: <c>ControlServer.Start(path, handler.OpenSession)</c>.</summary>
    /// <param name="peer">Who connected: the author of the session's configuration changes.</param>
    public Platform.IControlSession OpenSession(Platform.ControlPeer peer) =>
        new ConfigCommands.Session(this, ConfigurationCommands, new ControlSession { Author = ChangeAuthor.Cli(peer) });

    /// <summary>
    /// <c>sharpswan cli --json</c>: the monitor commands of <see cref="OperationalCommands.Tree"/> answer with the REST
    /// monitor's JSON; anything else (configuration editing included) is refused with the list of commands that can.
    /// </summary>
    public async Task HandleJsonAsync(ControlSession session, string command, TextWriter output, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(output);
        var words = CliTokenizer.Words(command, out var error);
        if (error is not null)
        {
            await EditError.WriteAsync(output, [error]);
            return;
        }

        if (words.Count == 0)
        {
            return;
        }

        if (ConfigurationCommands is { } configuration && configuration.EditorFor(session).Handles(command))
        {
            await output.WriteAsync(OperationalCommands.Tree.NoJsonForm(words[0]));
            return;
        }

        await OperationalCommands.Tree.DispatchAsync(words, output, new OperationalContext(this, DiagnoseToolbox, session), cancellation, json: true);
    }

    /// <summary>The JSON form of the tunnel reports: <c>GET /api/v2/monitor/vpn/ipsec</c>'s body, narrowed to a named phase 1.</summary>
    internal async Task IpsecJsonAsync(CommandCall call)
    {
        if (MonitorJson() is not { } monitor)
        {
            await call.Output.WriteAsync(NoMonitor);
            return;
        }

        var arguments = call.Arguments;
        var name = NameOption(arguments) ?? (call.Keywords[^1] == "name" && arguments.Count > 0 ? arguments[0] : null);
        var body = await monitor.IpsecAsync(name, call.Cancellation);
        await call.Output.WriteAsync(body.ToJsonString() + "\n");
    }

    /// <summary>The JSON form of <c>get system status</c>: <c>GET /api/v2/monitor/system/status</c>'s body.</summary>
    internal async Task SystemStatusJsonAsync(CommandCall call)
    {
        if (MonitorJson() is not { } monitor)
        {
            await call.Output.WriteAsync(NoMonitor);
            return;
        }

        await call.Output.WriteAsync(monitor.SystemStatus().ToJsonString() + "\n");
    }

    /// <summary>`get system status`: FortiOS's first lines (version, serial, host name, operation mode).</summary>
    internal async Task SystemStatusAsync(CommandCall call)
    {
        if (MonitorJson() is not { } monitor)
        {
            await call.Output.WriteAsync(NoMonitor);
            return;
        }

        var status = monitor.SystemStatus();
        var results = status["results"]?.AsObject();
        await call.Output.WriteAsync(
            $"Version: {results?["model_name"]} {status["version"]},build{status["build"]}\n" +
            $"Serial-Number: {status["serial"]}\n" +
            $"Hostname: {results?["hostname"]}\n" +
            "Operation Mode: NAT\n" +
            $"Current virtual domain: {status["vdom"]}\n");
    }

    public async Task HandleAsync(ControlSession session, string command, TextWriter output, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (ConfigurationCommands is { } configuration && await configuration.TryHandleAsync(session, command, output, cancellation))
        {
            return;
        }

        var words = CliTokenizer.Words(command, out var error);
        if (error is not null)
        {
            await EditError.WriteAsync(output, [error]);
            return;
        }

        if (words.Count > 0)
        {
            await OperationalCommands.Tree.DispatchAsync(words, output, new OperationalContext(this, DiagnoseToolbox, session), cancellation);
        }
    }

    /// <summary>`get vpn ipsec tunnel summary`.</summary>
    internal async Task SummaryAsync(CommandCall call) =>
        await call.Output.WriteAsync(await loop.InvokeAsync(engine => TunnelReports.Summary(engine, dataPlane)));

    /// <summary>`diagnose vpn tunnel list [name &lt;phase1&gt;] [keys]`.</summary>
    internal async Task TunnelListAsync(CommandCall call)
    {
        var name = NameOption(call.Arguments);
        var keys = DiagnoseCommands.WantsKeys(call.Words);
        await call.Output.WriteAsync(await loop.InvokeAsync(engine => TunnelReports.TunnelList(engine, dataPlane, time, name, keys)));
    }

    /// <summary>`diagnose vpn ike gateway list [name &lt;phase1&gt;]`.</summary>
    internal async Task GatewayListAsync(CommandCall call)
    {
        var name = NameOption(call.Arguments);
        await call.Output.WriteAsync(await loop.InvokeAsync(engine => TunnelReports.GatewayList(engine, time, name)));
    }

    /// <summary>`diagnose vpn ike gateway clear [name &lt;phase1&gt;]`.</summary>
    internal async Task GatewayClearAsync(CommandCall call)
    {
        var name = NameOption(call.Arguments);
        var found = await loop.InvokeAsync(engine =>
        {
            var tunnels = engine.Tunnels.Where(t => name is null || t.Name == name).ToList();
            foreach (var tunnel in tunnels)
            {
                engine.Terminate(tunnel.Name, null);
            }

            return name is null || tunnels.Count > 0;
        });
        if (!found)
        {
            await call.Output.WriteAsync(EntryNotFound);
        }
    }

    /// <summary>SharpSwan extension, `diagnose vpn ike gateway rekey [name &lt;phase1&gt;]`: rekey the IKE SA now, keeping the child SAs.</summary>
    internal async Task GatewayRekeyAsync(CommandCall call)
    {
        var name = NameOption(call.Arguments);
        var done = await loop.InvokeAsync(engine =>
        {
            var tunnels = engine.Tunnels.Where(t => name is null || t.Name == name).ToList();
            return tunnels.Count == 0 && name is not null ? (int?)null : tunnels.Count(t => engine.RekeyIke(t.Name));
        });
        if (done is not { } rekeyed)
        {
            await call.Output.WriteAsync(EntryNotFound);
        }
        else if (rekeyed == 0)
        {
            await call.Output.WriteAsync(NoIkeSaToRekey);
        }
    }

    /// <summary>`diagnose vpn tunnel up|down|rekey &lt;phase2&gt; [&lt;phase1&gt;]`.</summary>
    internal async Task TunnelActionAsync(CommandCall call)
    {
        var action = call.Keywords[^1];
        var arguments = call.Arguments;
        if (arguments.Count == 0)
        {
            await call.Output.WriteAsync($"{string.Join(' ', call.Keywords)} <phase2> [<phase1>]: phase2 name missing\nCommand fail. Return code -160\n");
            return;
        }

        var phase2 = arguments[0];
        var phase1 = arguments.Count > 1 ? arguments[1] : null;
        var result = await loop.InvokeAsync(engine => DiagnoseCommands.TunnelAction(engine, action, phase2, phase1));
        if (result is not null)
        {
            await call.Output.WriteAsync($"{result}\nCommand fail. Return code -3\n");
        }
    }

    /// <summary>
    /// The optional `name &lt;phase1&gt;` (or an abbreviation of `name`) of the tunnel list and IKE gateway commands; null
    /// for every tunnel. The command tree has already refused anything else, so a mistyped `clear to-branch` (no `name`)
    /// or a `name` without its value never reaches a handler that would act on, or list, every tunnel.
    /// </summary>
    private static string? NameOption(IReadOnlyList<string> arguments) =>
        arguments.Count > 1 && Keyword.Is(arguments[0], "name") ? arguments[1] : null;
}
