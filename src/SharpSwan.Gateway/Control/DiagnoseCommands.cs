using System.Globalization;
using System.Text;
using SharpSwan.Cli.Grammar;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Gateway.Events;
using SharpSwan.Gateway.Hosting;
using SharpSwan.Ike.Engine;

namespace SharpSwan.Gateway.Control;

/// <summary>
/// The diagnose toolbox: IKE debug settings and streaming (`diagnose debug ...`, `diagnose vpn ike log-filter ...`),
/// the packet sniffer, `diagnose vpn tunnel flush|stat`, `get vpn ipsec tunnel details|name`, `get vpn ipsec stats tunnel`
/// and the event log (`execute log filter ...`, `execute log display`). Debug settings live in the caller's
/// <see cref="ControlSession"/>, as a FortiOS console keeps them per login.
/// </summary>
public sealed partial class DiagnoseCommands(EngineLoop loop, EspDataPlane dataPlane, TimeProvider time)
{
    /// <summary><see cref="ControlSession.Items"/> key of the session's `execute log filter` settings.</summary>
    public const string LogQueryKey = "execute-log-filter";

    private const string EntryNotFound = "entry not found in datasource\nCommand fail. Return code -3\n";

    /// <summary>The gateway's IKE log; without it `diagnose debug enable` has nothing to stream.</summary>
    public ConsoleIkeLog? Log { get; init; }

    /// <summary>The VPN event log behind `execute log display`.</summary>
    public VpnEventLog? Events { get; init; }

    /// <summary>
    /// `diagnose vpn tunnel list [name X] keys`: SharpSwan's explicit request to print the SA keys. The word after `name`
    /// is always the tunnel's name, so a tunnel called `keys` is listed without its keys unless `keys` follows it.
    /// </summary>
    public static bool WantsKeys(IReadOnlyList<string> words)
    {
        var options = words.Skip(4).ToList();
        if (options.Count > 0 && options[0] == "name")
        {
            options.RemoveRange(0, Math.Min(2, options.Count));
        }

        return options.Any(w => w.Equals("keys", StringComparison.OrdinalIgnoreCase));
    }

    private static string ParseError(string word) => CommandTree.ParseError(word);

    /// <summary>`diagnose sniffer packet &lt;interface&gt; '&lt;filter&gt;' [verbose] [count] [tsformat]`, until Ctrl-C or the count.</summary>
    internal async Task SnifferAsync(CommandCall call)
    {
        var options = SnifferOptions.Parse(call.Arguments, out var bad);
        if (options is null)
        {
            await call.Output.WriteAsync(ParseError(bad!));
            return;
        }

        await new PacketSniffer(time).RunAsync(options, call.Output, call.Cancellation);
    }

    internal async Task TunnelStatAsync(CommandCall call) =>
        await call.Output.WriteAsync(await loop.InvokeAsync(engine => TunnelReports.TunnelStat(engine, dataPlane)));

    internal async Task DetailsAsync(CommandCall call) =>
        await call.Output.WriteAsync(await loop.InvokeAsync(engine => TunnelReports.Details(engine, dataPlane, time, null)));

    /// <summary>`get vpn ipsec tunnel name &lt;phase1&gt;`.</summary>
    internal async Task DetailsOfAsync(CommandCall call)
    {
        if (call.Arguments.Count == 0)
        {
            await call.Output.WriteAsync(ParseError(call.Words[^1]));
            return;
        }

        var name = call.Arguments[0];
        var report = await loop.InvokeAsync(engine => engine.Tunnels.Any(t => t.Name == name) ? TunnelReports.Details(engine, dataPlane, time, name) : null);
        await call.Output.WriteAsync(report ?? EntryNotFound);
    }

    /// <summary>`diagnose vpn ike stats`: IKE SA counts and the unprotected or unverified messages dropped.</summary>
    internal async Task IkeStatsAsync(CommandCall call) =>
        await call.Output.WriteAsync(await loop.InvokeAsync(engine => TunnelReports.IkeStats(engine, loop)));

    internal async Task IpsecStatsAsync(CommandCall call) =>
        await call.Output.WriteAsync(await loop.InvokeAsync(engine => TunnelReports.IpsecStats(engine, dataPlane)));

    internal async Task FlushAsync(CommandCall call) => await call.Output.WriteAsync(await FlushAsync(call.Arguments));

    internal Task LogFilterAsync(CommandCall call) => call.Output.WriteAsync(LogFilter(Session(call), call.Arguments));

    /// <summary>`diagnose debug application ike [&lt;level&gt;]`: shows the level, or sets it (-1 to 255).</summary>
    internal async Task DebugLevelAsync(CommandCall call)
    {
        var session = Session(call);
        if (call.Arguments.Count == 0)
        {
            await call.Output.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"ike debug level is {session.IkeDebugLevel}\n"));
        }
        else if (int.TryParse(call.Arguments[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var level) && level is >= -1 and <= 255)
        {
            session.IkeDebugLevel = level;
        }
        else
        {
            await call.Output.WriteAsync(ParseError(call.Arguments[0]));
        }
    }

    internal async Task DebugEnableAsync(CommandCall call)
    {
        var session = Session(call);
        session.DebugEnabled = true;
        var showIke = Log is not null && session.IkeDebugLevel != 0;
        var showFlow = Flow is not null;
        var output = showIke && showFlow ? TextWriter.Synchronized(call.Output) : call.Output;
        var streams = new List<Task>();
        if (showIke)
        {
            streams.Add(IkeDebugStream.RunAsync(Log!, session, output, call.Cancellation));
        }

        // Ends at once when no trace runs and the last one was seen.
        if (showFlow)
        {
            streams.Add(FlowTraceStream.RunAsync(Flow!, session, output, call.Cancellation));
        }

        await Task.WhenAll(streams);
    }

    internal Task DebugDisableAsync(CommandCall call)
    {
        Session(call).DebugEnabled = false;
        return Task.CompletedTask;
    }

    internal Task DebugResetAsync(CommandCall call)
    {
        var session = Session(call);
        session.DebugEnabled = false;
        session.IkeDebugLevel = 0;
        session.LogFilter.Clear();
        session.Items.Remove(FlowFilterKey);
        session.FlowShowFunctionName = false;
        return Flow is null ? Task.CompletedTask : Task.Run(Flow.Stop);
    }

    internal Task ConsoleTimestampAsync(CommandCall call, bool on)
    {
        Session(call).ConsoleTimestamp = on;
        return Task.CompletedTask;
    }

    internal Task DebugInfoAsync(CommandCall call)
    {
        var session = Session(call);
        var filter = IkeDebugFilter.From(session.LogFilter);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"debug output:           {(session.DebugEnabled ? "enable" : "disable")}\n");
        text.Append(CultureInfo.InvariantCulture, $"console timestamp:      {(session.ConsoleTimestamp ? "enable" : "disable")}\n");
        text.Append(CultureInfo.InvariantCulture, $"ike debug level:        {session.IkeDebugLevel}\n");
        text.Append(CultureInfo.InvariantCulture, $"ike log filter:         {(filter.IsEmpty ? "none" : Describe(filter))}\n");
        text.Append(CultureInfo.InvariantCulture, $"flow trace:             {FlowTraceState()}\n");
        text.Append(CultureInfo.InvariantCulture, $"flow function-name:     {(session.FlowShowFunctionName ? "enable" : "disable")}\n");
        return call.Output.WriteAsync(text.ToString());
    }

    private static ControlSession Session(CommandCall call) => ((OperationalContext)call.Context).Session;

    /// <summary>`diagnose vpn ike log-filter &lt;name|src-addr4|dst-addr4&gt; &lt;value&gt;`, `... clear`, `... list` (7.2+: `filter`).</summary>
    private static string LogFilter(ControlSession session, IReadOnlyList<string> arguments)
    {
        if (arguments.Count == 0 || Keyword.Is(arguments[0], "list"))
        {
            var filter = IkeDebugFilter.From(session.LogFilter);
            return $"name: {filter.Name ?? "any"}\nIPv4 source: {filter.Source?.ToString() ?? "any"}\nIPv4 dest: {filter.Destination?.ToString() ?? "any"}\n";
        }

        if (Keyword.Is(arguments[0], "clear"))
        {
            session.LogFilter.Clear();
            return string.Empty;
        }

        string? key = arguments[0].ToLowerInvariant() switch
        {
            "name" => IkeDebugFilter.NameKey,
            "src-addr4" or "loc-addr4" => IkeDebugFilter.SourceKey,
            "dst-addr4" or "rem-addr4" => IkeDebugFilter.DestinationKey,
            _ => null,
        };
        if (key is null)
        {
            return ParseError(arguments[0]);
        }

        if (arguments.Count < 2 || arguments.Count > 3 || (key == IkeDebugFilter.NameKey && arguments.Count != 2))
        {
            return ParseError(arguments.Count < 2 ? arguments[0] : arguments[^1]);
        }

        if (key == IkeDebugFilter.NameKey)
        {
            session.LogFilter[key] = arguments[1];
            return string.Empty;
        }

        // One address, `from-to`, or (7.2+) `from to`.
        var valid = arguments.Count == 3
            ? Ipv4Range.TryParse(arguments[1], arguments[2], out var range)
            : Ipv4Range.TryParse(arguments[1], out range);
        if (!valid)
        {
            return ParseError(arguments[^1]);
        }

        session.LogFilter[key] = range.ToString();
        return string.Empty;
    }

    private static string Describe(IkeDebugFilter filter)
    {
        var parts = new List<string>();
        if (filter.Name is { } name)
        {
            parts.Add($"name {name}");
        }

        if (filter.Source is { } source)
        {
            parts.Add($"src-addr4 {source}");
        }

        if (filter.Destination is { } destination)
        {
            parts.Add($"dst-addr4 {destination}");
        }

        return string.Join(", ", parts);
    }

    /// <summary>
    /// `diagnose vpn tunnel flush [&lt;phase1&gt;|name &lt;phase1&gt;]`: deletes the phase 2 SAs (the IKE SA stays). A dial-up
    /// instance name flushes that peer only; a dial-up template's name flushes every instance of it (the template holds none).
    /// </summary>
    private async Task<string> FlushAsync(IReadOnlyList<string> arguments)
    {
        var name = arguments.Count > 1 && Keyword.Is(arguments[0], "name") ? arguments[1] : arguments.Count > 0 ? arguments[0] : null;
        var found = await loop.InvokeAsync(engine =>
        {
            var named = engine.Tunnels.Any(t => t.Name == name);
            var targets = engine.Tunnels.Where(t => !t.IsDialupTemplate && (name is null || t.Name == name || t.Template?.Name == name)).ToList();
            foreach (var tunnel in targets)
            {
                foreach (var phase2 in tunnel.Phase2)
                {
                    engine.Terminate(tunnel.Name, phase2.Name);
                }
            }

            return named || name is null;
        });
        return found ? string.Empty : EntryNotFound;
    }

    /// <summary>
    /// `diagnose vpn tunnel up|down|rekey &lt;phase2&gt; [&lt;phase1&gt;]` on the engine thread; null when done, else the reason.
    /// A dial-up instance (`&lt;phase1&gt;_&lt;n&gt;`) may be named as the phase 1, or alone (`diagnose vpn tunnel down HUB_0`):
    /// `down` then deletes that peer's IKE SA with its child SAs, so the instance goes; `down` on the template's name takes
    /// every instance down. `up` cannot work on either: only the dial-up peer can bring its tunnel back.
    /// </summary>
    public static string? TunnelAction(IkeEngine engine, string action, string phase2, string? phase1)
    {
        var instance = engine.Tunnels.FirstOrDefault(t => t.IsDialupInstance && (t.Name == phase1 || (phase1 is null && t.Name == phase2)));
        var template = instance is null ? engine.Tunnels.FirstOrDefault(t => t.IsDialupTemplate && (t.Name == phase1 || (phase1 is null && t.Name == phase2))) : null;
        if (instance is not null || template is not null)
        {
            var named = instance ?? template!;
            var selector = phase1 is null ? null : phase2;
            if (selector is not null && named.FindPhase2(selector) is null)
            {
                return "entry not found in datasource";
            }

            List<TunnelRuntime> peers = instance is not null ? [instance] : engine.Tunnels.Where(t => t.Template == template).ToList();
            return action switch
            {
                "down" => peers.Aggregate(true, (ok, peer) => engine.Terminate(peer.Name, null) && ok) ? null : "entry not found in datasource",
                "rekey" => selector is not null && peers.Count > 0 && peers.Aggregate(true, (ok, peer) => engine.RekeyChild(peer.Name, selector) && ok)
                    ? null
                    : "no installed SA to rekey",
                _ => "cannot initiate a dial-up tunnel: only its peer can bring it up",
            };
        }

        var owner = phase1 ?? engine.Configuration.Phase2.FirstOrDefault(p => p.Name == phase2)?.Phase1Name;
        if (owner is null || engine.Configuration.Phase2.All(p => p.Name != phase2 || p.Phase1Name != owner))
        {
            return "entry not found in datasource";
        }

        var ok = action switch
        {
            "up" => engine.Initiate(owner, phase2),
            "down" => engine.Terminate(owner, phase2),
            _ => engine.RekeyChild(owner, phase2),
        };
        return ok ? null : action == "rekey" ? "no installed SA to rekey" : "cannot initiate this tunnel (dial-up or not configured)";
    }
}
