using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SharpSwan.Config;

namespace SharpSwan.Simulate;

/// <summary>
/// Reads a simulation script: one command per line, `#` starts a comment. Every problem is reported with its line number
/// and nothing runs until the whole script is valid. Gateway, phase 1 and phase 2 names are checked against the
/// configurations, and `at` times against the time the script has reached.
/// </summary>
public static class ScriptParser
{
    public static ScriptParseResult Parse(string text, string fileName, IReadOnlyDictionary<string, GatewayConfiguration> gateways)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(gateways);
        var state = new ParseState(fileName, gateways);
        var lines = text.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index];
            var comment = line.IndexOf('#', StringComparison.Ordinal);
            var content = (comment >= 0 ? line[..comment] : line).Trim();
            if (content.Length > 0)
            {
                state.ParseLine(index + 1, content);
            }
        }

        return state.Errors.Count > 0 ? new ScriptParseResult([], state.Errors) : new ScriptParseResult(state.Commands, []);
    }

    private sealed class ParseState(string fileName, IReadOnlyDictionary<string, GatewayConfiguration> gateways)
    {
        private readonly HashSet<(string Gateway, IPAddress Source, IPAddress Destination)> _flows = [];
        private TimeSpan _scriptTime;
        private bool _pastPreamble;

        public List<ScriptCommand> Commands { get; } = [];

        public List<ScriptError> Errors { get; } = [];

        public void ParseLine(int line, string content)
        {
            var words = content.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var command = words[0].ToLowerInvariant() switch
            {
                "gateway" => Gateway(line, content, words),
                "advance" => Advance(line, content, words),
                "at" => At(line, content, words),
                "traffic" => Traffic(line, content, words),
                "send" => Send(line, content, words),
                "link" => Link(line, content, words),
                "loss" => Loss(line, content, words),
                "latency" => Latency(line, content, words),
                "restart" => OneGateway(line, content, words, ScriptCommandKind.Restart),
                "crash" => OneGateway(line, content, words, ScriptCommandKind.Crash),
                "boot" => OneGateway(line, content, words, ScriptCommandKind.Boot),
                "rekey" => Tunnel(line, content, words, ScriptCommandKind.Rekey),
                "down" => Tunnel(line, content, words, ScriptCommandKind.Down),
                "up" => Tunnel(line, content, words, ScriptCommandKind.Up),
                "config" => ConfigChange(line, content, words),
                _ => Fail(line, $"unknown command '{words[0]}' (expected gateway, advance, at, traffic, send, link, loss, latency, restart, crash, boot, rekey, down, up or config)"),
            };
            if (command is null)
            {
                return;
            }

            if (command.Kind != ScriptCommandKind.GatewayAddress)
            {
                _pastPreamble = true;
            }

            Commands.Add(command);
        }

        private ScriptCommand? Gateway(int line, string content, string[] words)
        {
            if (words.Length != 4 || !words[2].Equals("address", StringComparison.OrdinalIgnoreCase))
            {
                return Fail(line, "usage: gateway NAME address IPV4");
            }

            if (_pastPreamble)
            {
                return Fail(line, "gateway lines must come before every other command (addresses are fixed when the simulation starts)");
            }

            if (!KnownGateway(line, words[1]) || Address(line, words[3]) is not { } address)
            {
                return null;
            }

            return new ScriptCommand(line, ScriptCommandKind.GatewayAddress, content) { Gateway = words[1], Argument = address.ToString() };
        }

        private ScriptCommand? Advance(int line, string content, string[] words)
        {
            if (words.Length != 2 || Duration(line, words[1]) is not { } duration)
            {
                return words.Length != 2 ? Fail(line, "usage: advance DURATION (e.g. 90s, 5m, 1h30m, 3d)") : null;
            }

            _scriptTime += duration;
            return new ScriptCommand(line, ScriptCommandKind.Advance, content) { Time = duration };
        }

        private ScriptCommand? At(int line, string content, string[] words)
        {
            if (words.Length != 2)
            {
                return Fail(line, "usage: at TIME (time since the start, e.g. at 2h)");
            }

            if (Duration(line, words[1]) is not { } time)
            {
                return null;
            }

            if (time < _scriptTime)
            {
                return Fail(line, $"at {words[1]} is earlier than the {DurationText.Format(_scriptTime)} the script has reached already");
            }

            _scriptTime = time;
            return new ScriptCommand(line, ScriptCommandKind.At, content) { Time = time };
        }

        private ScriptCommand? Traffic(int line, string content, string[] words)
        {
            const string usage = "usage: traffic on GATEWAY SRC-IP -> DST-IP every DURATION, traffic off GATEWAY SRC-IP -> DST-IP, or traffic off all";
            if (words.Length == 3 && words[1].Equals("off", StringComparison.OrdinalIgnoreCase) && words[2].Equals("all", StringComparison.OrdinalIgnoreCase))
            {
                _flows.Clear();
                return new ScriptCommand(line, ScriptCommandKind.TrafficOff, content) { All = true };
            }

            var on = words.Length == 8 && words[1].Equals("on", StringComparison.OrdinalIgnoreCase) && words[6].Equals("every", StringComparison.OrdinalIgnoreCase);
            var off = words.Length == 6 && words[1].Equals("off", StringComparison.OrdinalIgnoreCase);
            if ((!on && !off) || words[4] != "->")
            {
                return Fail(line, usage);
            }

            if (!KnownGateway(line, words[2]) || Address(line, words[3]) is not { } source || Address(line, words[5]) is not { } destination)
            {
                return null;
            }

            var flow = (words[2], source, destination);
            if (off)
            {
                return _flows.Remove(flow)
                    ? new ScriptCommand(line, ScriptCommandKind.TrafficOff, content) { Gateway = words[2], Source = source, Destination = destination }
                    : Fail(line, $"no traffic from {words[2]} {source} -> {destination} is on");
            }

            if (Duration(line, words[7]) is not { } interval)
            {
                return null;
            }

            if (interval < TimeSpan.FromMilliseconds(1))
            {
                return Fail(line, "traffic interval must be at least 1ms");
            }

            if (!_flows.Add(flow))
            {
                return Fail(line, $"traffic from {words[2]} {source} -> {destination} is on already");
            }

            return new ScriptCommand(line, ScriptCommandKind.TrafficOn, content) { Gateway = words[2], Source = source, Destination = destination, Time = interval };
        }

        private ScriptCommand? Send(int line, string content, string[] words)
        {
            var withCount = words.Length == 7 && words[5].Equals("count", StringComparison.OrdinalIgnoreCase);
            if ((words.Length != 5 && !withCount) || words[3] != "->")
            {
                return Fail(line, "usage: send GATEWAY SRC-IP -> DST-IP [count N]");
            }

            if (!KnownGateway(line, words[1]) || Address(line, words[2]) is not { } source || Address(line, words[4]) is not { } destination)
            {
                return null;
            }

            var count = 1;
            if (withCount && (!int.TryParse(words[6], NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > 100000))
            {
                return Fail(line, $"count must be 1-100000, not '{words[6]}'");
            }

            return new ScriptCommand(line, ScriptCommandKind.Send, content) { Gateway = words[1], Source = source, Destination = destination, Count = count };
        }

        private ScriptCommand? Link(int line, string content, string[] words)
        {
            if ((words.Length != 2 && words.Length != 4) || words[1].ToLowerInvariant() is not ("down" or "up"))
            {
                return Fail(line, "usage: link down|up [GATEWAY GATEWAY]");
            }

            var kind = words[1].Equals("down", StringComparison.OrdinalIgnoreCase) ? ScriptCommandKind.LinkDown : ScriptCommandKind.LinkUp;
            return Pair(line, content, words, 2, kind, command => command);
        }

        private ScriptCommand? Loss(int line, string content, string[] words)
        {
            if (words.Length != 2 && words.Length != 4)
            {
                return Fail(line, "usage: loss PERCENT [GATEWAY GATEWAY]");
            }

            if (!double.TryParse(words[1].TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) || percent is < 0 or > 100)
            {
                return Fail(line, $"loss must be a percentage 0-100, not '{words[1]}'");
            }

            return Pair(line, content, words, 2, ScriptCommandKind.Loss, command => command with { Percent = percent });
        }

        private ScriptCommand? Latency(int line, string content, string[] words)
        {
            if (words.Length != 2 && words.Length != 4)
            {
                return Fail(line, "usage: latency DURATION [GATEWAY GATEWAY]");
            }

            return Duration(line, words[1]) is { } latency
                ? Pair(line, content, words, 2, ScriptCommandKind.Latency, command => command with { Time = latency })
                : null;
        }

        private ScriptCommand? Pair(int line, string content, string[] words, int first, ScriptCommandKind kind, Func<ScriptCommand, ScriptCommand> complete)
        {
            if (words.Length == first)
            {
                return complete(new ScriptCommand(line, kind, content));
            }

            if (!KnownGateway(line, words[first]) || !KnownGateway(line, words[first + 1]))
            {
                return null;
            }

            if (words[first] == words[first + 1])
            {
                return Fail(line, "a link joins two different gateways");
            }

            return complete(new ScriptCommand(line, kind, content) { Gateway = words[first], Peer = words[first + 1] });
        }

        private ScriptCommand? OneGateway(int line, string content, string[] words, ScriptCommandKind kind)
        {
            if (words.Length != 2)
            {
                return Fail(line, $"usage: {words[0].ToLowerInvariant()} GATEWAY");
            }

            return KnownGateway(line, words[1]) ? new ScriptCommand(line, kind, content) { Gateway = words[1] } : null;
        }

        private ScriptCommand? Tunnel(int line, string content, string[] words, ScriptCommandKind kind)
        {
            if (words.Length is not (3 or 4))
            {
                return Fail(line, $"usage: {words[0].ToLowerInvariant()} GATEWAY PHASE1 [PHASE2]");
            }

            if (!KnownGateway(line, words[1]))
            {
                return null;
            }

            var configuration = gateways[words[1]];
            if (configuration.FindPhase1(words[2]) is null)
            {
                return Fail(line, $"gateway {words[1]} has no phase1 \"{words[2]}\" (it has {Names(configuration.Phase1.Select(p => p.Name))})");
            }

            if (words.Length == 4 && !configuration.Phase2For(words[2]).Any(p => p.Name == words[3]))
            {
                return Fail(line, $"phase1 \"{words[2]}\" of gateway {words[1]} has no phase2 \"{words[3]}\" (it has {Names(configuration.Phase2For(words[2]).Select(p => p.Name))})");
            }

            return new ScriptCommand(line, kind, content) { Gateway = words[1], Phase1 = words[2], Phase2 = words.Length == 4 ? words[3] : null };
        }

        private ScriptCommand? ConfigChange(int line, string content, string[] words)
        {
            if (words.Length != 3)
            {
                return Fail(line, "usage: config GATEWAY FILE");
            }

            return KnownGateway(line, words[1]) ? new ScriptCommand(line, ScriptCommandKind.Config, content) { Gateway = words[1], Argument = words[2] } : null;
        }

        private bool KnownGateway(int line, string name)
        {
            if (gateways.ContainsKey(name))
            {
                return true;
            }

            Fail(line, $"unknown gateway '{name}' (gateways are named after their configuration files: {Names(gateways.Keys)})");
            return false;
        }

        private IPAddress? Address(int line, string text)
        {
            if (IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') == 3)
            {
                return address;
            }

            Fail(line, $"'{text}' is not an IPv4 address");
            return null;
        }

        private TimeSpan? Duration(int line, string text)
        {
            if (DurationText.TryParse(text, out var duration))
            {
                return duration;
            }

            Fail(line, $"'{text}' is not a duration (e.g. 500ms, 90s, 5m, 1h30m, 3d)");
            return null;
        }

        private ScriptCommand? Fail(int line, string message)
        {
            Errors.Add(new ScriptError(fileName, line, message));
            return null;
        }

        private static string Names(IEnumerable<string> names)
        {
            var list = names.ToList();
            return list.Count == 0 ? "none" : string.Join(", ", list);
        }
    }
}
