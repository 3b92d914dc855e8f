using System.Globalization;
using System.Text;
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
public sealed class DiagnoseCommands(EngineLoop loop, EspDataPlane dataPlane, TimeProvider time)
{
    /// <summary><see cref="ControlSession.Items"/> key of the session's `execute log filter` settings.</summary>
    public const string LogQueryKey = "execute-log-filter";

    private const string EntryNotFound = "entry not found in datasource\nCommand fail. Return code -3\n";

    /// <summary>The gateway's IKE log; without it `diagnose debug enable` has nothing to stream.</summary>
    public ConsoleIkeLog? Log { get; init; }

    /// <summary>The VPN event log behind `execute log display`.</summary>
    public VpnEventLog? Events { get; init; }

    /// <summary>True for the commands this class answers.</summary>
    public static bool Recognizes(IReadOnlyList<string> words) =>
        DiagnoseWords.Matches(words, "diagnose", "debug")
        || DiagnoseWords.Matches(words, "diagnose", "vpn", "ike", "log-filter")
        || DiagnoseWords.Matches(words, "diagnose", "vpn", "ike", "filter")
        || DiagnoseWords.Matches(words, "diagnose", "sniffer", "packet")
        || DiagnoseWords.Matches(words, "diagnose", "vpn", "tunnel", "flush")
        || DiagnoseWords.Matches(words, "diagnose", "vpn", "tunnel", "stat")
        || DiagnoseWords.Matches(words, "get", "vpn", "ipsec", "tunnel", "details")
        || DiagnoseWords.Matches(words, "get", "vpn", "ipsec", "tunnel", "name")
        || DiagnoseWords.Matches(words, "get", "vpn", "ipsec", "stats", "tunnel")
        || DiagnoseWords.Matches(words, "execute", "log");

    /// <summary>`diagnose vpn tunnel list [name X] keys`: SharpSwan's explicit request to print the SA keys.</summary>
    public static bool WantsKeys(IReadOnlyList<string> words) =>
        words.Count > 4 && words.Skip(4).Any(w => w.Equals("keys", StringComparison.OrdinalIgnoreCase));

    public async Task HandleAsync(ControlSession session, IReadOnlyList<string> words, TextWriter output, CancellationToken cancellation)
    {
        if (DiagnoseWords.Matches(words, "diagnose", "debug"))
        {
            await DebugAsync(session, words, output, cancellation);
        }
        else if (DiagnoseWords.Matches(words, "diagnose", "vpn", "ike", "log-filter") || DiagnoseWords.Matches(words, "diagnose", "vpn", "ike", "filter"))
        {
            await output.WriteAsync(LogFilter(session, words));
        }
        else if (DiagnoseWords.Matches(words, "diagnose", "sniffer", "packet"))
        {
            var options = SnifferOptions.Parse(words.Skip(3).ToList(), out var bad);
            if (options is null)
            {
                await output.WriteAsync(ParseError(bad!));
                return;
            }

            await new PacketSniffer(time).RunAsync(options, output, cancellation);
        }
        else if (DiagnoseWords.Matches(words, "diagnose", "vpn", "tunnel", "flush"))
        {
            await output.WriteAsync(await FlushAsync(words));
        }
        else if (DiagnoseWords.Matches(words, "diagnose", "vpn", "tunnel", "stat"))
        {
            await output.WriteAsync(await loop.InvokeAsync(engine => TunnelReports.TunnelStat(engine, dataPlane)));
        }
        else if (DiagnoseWords.Matches(words, "get", "vpn", "ipsec", "tunnel", "details"))
        {
            await output.WriteAsync(await loop.InvokeAsync(engine => TunnelReports.Details(engine, dataPlane, time, null)));
        }
        else if (DiagnoseWords.Matches(words, "get", "vpn", "ipsec", "tunnel", "name"))
        {
            if (words.Count < 6)
            {
                await output.WriteAsync(ParseError(words[^1]));
                return;
            }

            var name = words[5];
            var report = await loop.InvokeAsync(engine => engine.Tunnels.Any(t => t.Name == name) ? TunnelReports.Details(engine, dataPlane, time, name) : null);
            await output.WriteAsync(report ?? EntryNotFound);
        }
        else if (DiagnoseWords.Matches(words, "get", "vpn", "ipsec", "stats", "tunnel"))
        {
            await output.WriteAsync(await loop.InvokeAsync(engine => TunnelReports.IpsecStats(engine, dataPlane)));
        }
        else if (DiagnoseWords.Matches(words, "execute", "log"))
        {
            await output.WriteAsync(ExecuteLog(session, words));
        }
        else
        {
            await output.WriteAsync(ParseError(words[^1]));
        }
    }

    private static string ParseError(string word) => $"command parse error before '{word}'\nCommand fail. Return code -61\n";

    private async Task DebugAsync(ControlSession session, IReadOnlyList<string> words, TextWriter output, CancellationToken cancellation)
    {
        if (DiagnoseWords.Matches(words, "diagnose", "debug", "application"))
        {
            if (words.Count < 4 || !DiagnoseWords.Is(words[3], "ike"))
            {
                await output.WriteAsync(ParseError(words.Count < 4 ? words[2] : words[3]));
            }
            else if (words.Count < 5)
            {
                await output.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"ike debug level is {session.IkeDebugLevel}\n"));
            }
            else if (int.TryParse(words[4], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var level) && level is >= -1 and <= 255)
            {
                session.IkeDebugLevel = level;
            }
            else
            {
                await output.WriteAsync(ParseError(words[4]));
            }
        }
        else if (DiagnoseWords.Matches(words, "diagnose", "debug", "enable"))
        {
            session.DebugEnabled = true;
            if (Log is not null)
            {
                await IkeDebugStream.RunAsync(Log, session, output, cancellation);
            }
        }
        else if (DiagnoseWords.Matches(words, "diagnose", "debug", "disable"))
        {
            session.DebugEnabled = false;
        }
        else if (DiagnoseWords.Matches(words, "diagnose", "debug", "reset"))
        {
            session.DebugEnabled = false;
            session.IkeDebugLevel = 0;
            session.LogFilter.Clear();
        }
        else if (DiagnoseWords.Matches(words, "diagnose", "debug", "console", "timestamp") && words.Count == 5
                 && (DiagnoseWords.Is(words[4], "enable") || DiagnoseWords.Is(words[4], "disable")))
        {
            session.ConsoleTimestamp = DiagnoseWords.Is(words[4], "enable");
        }
        else if (DiagnoseWords.Matches(words, "diagnose", "debug", "info"))
        {
            var filter = IkeDebugFilter.From(session.LogFilter);
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"debug output:           {(session.DebugEnabled ? "enable" : "disable")}\n");
            text.Append(CultureInfo.InvariantCulture, $"console timestamp:      {(session.ConsoleTimestamp ? "enable" : "disable")}\n");
            text.Append(CultureInfo.InvariantCulture, $"ike debug level:        {session.IkeDebugLevel}\n");
            text.Append(CultureInfo.InvariantCulture, $"ike log filter:         {(filter.IsEmpty ? "none" : Describe(filter))}\n");
            await output.WriteAsync(text.ToString());
        }
        else
        {
            await output.WriteAsync(ParseError(words.Count > 2 ? words[2] : words[^1]));
        }
    }

    /// <summary>`diagnose vpn ike log-filter &lt;name|src-addr4|dst-addr4&gt; &lt;value&gt;`, `... clear`, `... list` (7.2+: `filter`).</summary>
    private static string LogFilter(ControlSession session, IReadOnlyList<string> words)
    {
        var arguments = words.Skip(4).ToList();
        if (arguments.Count == 0 || DiagnoseWords.Is(arguments[0], "list"))
        {
            var filter = IkeDebugFilter.From(session.LogFilter);
            return $"name: {filter.Name ?? "any"}\nIPv4 source: {filter.Source?.ToString() ?? "any"}\nIPv4 dest: {filter.Destination?.ToString() ?? "any"}\n";
        }

        if (DiagnoseWords.Is(arguments[0], "clear"))
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
    private async Task<string> FlushAsync(IReadOnlyList<string> words)
    {
        var name = words.Count > 5 && words[4] == "name" ? words[5] : words.Count > 4 ? words[4] : null;
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

    private string ExecuteLog(ControlSession session, IReadOnlyList<string> words)
    {
        if (!session.Items.TryGetValue(LogQueryKey, out var stored) || stored is not VpnEventLogQuery query)
        {
            query = new VpnEventLogQuery();
            session.Items[LogQueryKey] = query;
        }

        if (DiagnoseWords.Matches(words, "execute", "log", "display"))
        {
            return Events is null ? "event log is not available\nCommand fail. Return code -1\n" : query.Display(Events.Records());
        }

        if (!DiagnoseWords.Matches(words, "execute", "log", "filter") || words.Count < 4)
        {
            return ParseError(words.Count > 2 ? words[2] : words[^1]);
        }

        var setting = words[3];
        var values = words.Skip(4).ToList();
        if (DiagnoseWords.Is(setting, "reset"))
        {
            query.Reset();
            return string.Empty;
        }

        if (DiagnoseWords.Is(setting, "dump"))
        {
            return query.Dump();
        }

        if (DiagnoseWords.Is(setting, "category") && values.Count == 1)
        {
            if (values[0] == "event")
            {
                query.Category = VpnEventLogQuery.EventCategory;
                return string.Empty;
            }

            if (int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var category))
            {
                query.Category = category;
                return string.Empty;
            }

            return ParseError(values[0]);
        }

        if (DiagnoseWords.Is(setting, "field") && values.Count >= 1)
        {
            if (values.Count == 1)
            {
                query.Fields.Remove(values[0]);
            }
            else
            {
                query.Fields[values[0]] = values.Skip(1).ToArray();
            }

            return string.Empty;
        }

        if ((DiagnoseWords.Is(setting, "view-lines") || DiagnoseWords.Is(setting, "start-line")) && values.Count == 1
            && int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            if (DiagnoseWords.Is(setting, "view-lines") && number is >= 5 and <= 1000)
            {
                query.ViewLines = number;
                return string.Empty;
            }

            if (DiagnoseWords.Is(setting, "start-line") && number >= 1)
            {
                query.StartLine = number;
                return string.Empty;
            }
        }

        return ParseError(values.Count > 0 ? values[^1] : setting);
    }
}
