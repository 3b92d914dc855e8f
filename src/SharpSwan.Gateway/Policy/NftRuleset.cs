using System.Globalization;
using System.Text;
using SharpSwan.Config;
using SharpSwan.Esp.Policy;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Policy;

/// <summary>
/// Renders the firewall policies as the nftables ruleset of the table SharpSwan owns (<c>ip sharpswan</c>), as one file
/// that <c>nft -f</c> applies atomically (it creates, empties and refills the table in one transaction). Only numbers
/// (addresses, marks, policy ids) and interface names that are valid Linux names are written, so no configuration text
/// can change the rules' meaning; a name that is not a valid interface name cannot match and is left out.
/// </summary>
/// <remarks>
/// New connections are decided once, top-down (<see cref="PolicyTable"/> semantics): <c>prerouting</c> for traffic that
/// arrives (forwarded, or to this host through a tunnel), <c>output</c> for traffic this host starts into a tunnel.
/// An ipsec policy marks the connection (packet and conntrack mark) with its tunnel's mark, and policy routing sends it to
/// the tunnel's TUN device; later packets and replies take the conntrack mark. Decrypted traffic from a tunnel's device
/// that starts a connection is matched against that tunnel's ipsec policies reversed (<c>inbound</c>). Traffic to this host
/// that does not come through a tunnel, and traffic it starts outside tunnels, is not governed (FortiOS local-in/out).
/// The destination interface of arriving traffic is the FIB's answer (<c>fib daddr oifname</c>); for traffic to this host
/// (no such answer) and traffic this host starts, dstintf and srcintf respectively are not checked.
/// </remarks>
public static class NftRuleset
{
    public const string Family = "ip";

    public const string TableName = "sharpswan";

    /// <summary>The table `diagnose debug flow trace` installs while it runs: it flags the filtered packets for tracing.</summary>
    public const string TraceTableName = "sharpswan_trace";

    /// <summary>The trace table's chain that sees a packet leave (its interface: the tunnel it enters, or another).</summary>
    public const string TraceExitChain = "postrouting";

    /// <summary>The counter of the implicit deny (FortiOS policy 0).</summary>
    public const string ImplicitDenyCounter = "policy_0";

    public static string CounterName(long policyId) => "policy_" + policyId.ToString(CultureInfo.InvariantCulture);

    /// <param name="devices">The TUN device of each policy-based phase 1, by phase 1 name.</param>
    public static string Render(GatewayConfiguration configuration, IReadOnlyDictionary<string, PolicyTunnelDevice> devices)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(devices);
        var table = PolicyTable.Compile(configuration);
        var routeTunnels = configuration.Phase1.Where(p => p.IsInterfaceMode).Select(p => p.Name).Where(IsInterfaceName).ToList();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"table {Family} {TableName}\ndelete table {Family} {TableName}\ntable {Family} {TableName} {{\n");
        text.Append(CultureInfo.InvariantCulture, $"\tcounter {ImplicitDenyCounter} {{ }}\n");
        foreach (var policy in table.Policies)
        {
            text.Append(CultureInfo.InvariantCulture, $"\tcounter {CounterName(policy.Policy.Id)} {{ }}\n");
        }

        Chain(text, "from_tunnel", null, FromTunnelRules(table, devices));
        Chain(text, "decide", null, DecideRules(table, devices));
        Chain(text, "local_out", null, LocalOutRules(table, devices, routeTunnels));
        Chain(text, "prerouting", "type filter hook prerouting priority mangle; policy accept;", PreroutingRules(devices, routeTunnels));
        Chain(text, "output", "type route hook output priority mangle; policy accept;", OutputRules());
        text.Append("}\n");
        return text.ToString();
    }

    /// <summary>
    /// The trace table: rules ahead of everything else (before connection tracking) that set the trace flag on packets that
    /// pass one of <paramref name="matches"/> (arriving or sent by this host), and an empty chain on the way out so the
    /// trace shows the interface a packet leaves by. Only the matches' numbers reach the rules (<see cref="Diagnostics.FlowFilter"/>).
    /// </summary>
    public static string RenderTraceTable(IReadOnlyList<string> matches)
    {
        ArgumentNullException.ThrowIfNull(matches);
        var rules = string.Concat(matches.Select(m => $"\t\t{(m.Length == 0 ? "" : m + " ")}meta nftrace set 1\n"));
        return $"table {Family} {TraceTableName}\ndelete table {Family} {TraceTableName}\ntable {Family} {TraceTableName} {{\n"
            + $"\tchain prerouting {{\n\t\ttype filter hook prerouting priority raw - 10; policy accept;\n{rules}\t}}\n"
            + $"\tchain output {{\n\t\ttype filter hook output priority raw - 10; policy accept;\n{rules}\t}}\n"
            + $"\tchain {TraceExitChain} {{\n\t\ttype filter hook postrouting priority srcnat + 10; policy accept;\n\t}}\n"
            + "}\n";
    }

    /// <summary>The script that removes the trace table.</summary>
    public static string RenderTraceRemoval() => $"table {Family} {TraceTableName}\ndelete table {Family} {TraceTableName}\n";

    /// <summary>The script that removes the table (on exit, or when the configuration no longer has policies).</summary>
    public static string RenderRemoval() => $"table {Family} {TableName}\ndelete table {Family} {TableName}\n";

    private static IEnumerable<string> PreroutingRules(IReadOnlyDictionary<string, PolicyTunnelDevice> devices, List<string> routeTunnels)
    {
        var tunnels = Set(devices.Values.Select(d => d.Device));
        if (tunnels is not null)
        {
            yield return $"iifname {tunnels} ct state established,related accept";
        }

        yield return $"ct state established,related ct mark and 0x{PolicyTunnelDevice.MarkMask:x8} == 0x{PolicyTunnelDevice.MarkPrefix:x8} meta mark set ct mark accept";
        yield return "ct state established,related accept";
        if (tunnels is not null)
        {
            yield return $"iifname {tunnels} jump from_tunnel";
        }

        // To this host, not through a tunnel (IKE, ESP, management): FortiOS local-in, not governed by forward policies.
        yield return Set(routeTunnels) is { } routed ? $"fib daddr type local iifname != {routed} accept" : "fib daddr type local accept";
        yield return "jump decide";
    }

    private static IEnumerable<string> OutputRules()
    {
        yield return $"ct state established,related ct mark and 0x{PolicyTunnelDevice.MarkMask:x8} == 0x{PolicyTunnelDevice.MarkPrefix:x8} meta mark set ct mark accept";
        yield return "ct state established,related accept";

        // The gateway's own IKE and ESP never enter a tunnel, whatever the policies' addresses say.
        yield return "meta l4proto esp accept";
        yield return "udp sport { 500, 4500 } accept";
        yield return "jump local_out";
    }

    private static IEnumerable<string> FromTunnelRules(PolicyTable table, IReadOnlyDictionary<string, PolicyTunnelDevice> devices)
    {
        foreach (var compiled in table.Policies)
        {
            var policy = compiled.Policy;
            if (!policy.Enabled || policy.Action != PolicyAction.Ipsec || policy.VpnTunnel is null || !devices.TryGetValue(policy.VpnTunnel, out var device))
            {
                continue;
            }

            // Reversed: the policy's srcintf is where the decrypted traffic goes (FIB), its addresses swap sides.
            var verdict = policy.Inbound ? $"ct mark set {device.MarkText} {Admitted(policy.Id)}accept" : "drop";
            foreach (var match in Alternatives(null, policy.SourceInterfaces, compiled.Destinations, compiled.Sources))
            {
                foreach (var service in ServiceMatches(compiled))
                {
                    foreach (var when in ScheduleMatches(compiled))
                    {
                        yield return $"iifname \"{device.Device}\" {match}{service}{when}counter name \"{CounterName(policy.Id)}\" {verdict}";
                    }
                }
            }
        }

        yield return $"counter name \"{ImplicitDenyCounter}\" drop";
    }

    private static IEnumerable<string> DecideRules(PolicyTable table, IReadOnlyDictionary<string, PolicyTunnelDevice> devices)
    {
        foreach (var compiled in table.Policies)
        {
            var policy = compiled.Policy;
            if (!policy.Enabled || Verdict(policy, devices) is not { } verdict)
            {
                continue;
            }

            // A connection to this host never goes into a policy-based tunnel, so ipsec policies only match forwarded traffic.
            foreach (var match in Alternatives(policy.SourceInterfaces, policy.DestinationInterfaces, compiled.Sources, compiled.Destinations, withLocal: policy.Action != PolicyAction.Ipsec))
            {
                foreach (var service in ServiceMatches(compiled))
                {
                    foreach (var when in ScheduleMatches(compiled))
                    {
                        yield return $"{match}{service}{when}counter name \"{CounterName(policy.Id)}\" {verdict}";
                    }
                }
            }
        }

        yield return $"counter name \"{ImplicitDenyCounter}\" drop";
    }

    private static IEnumerable<string> LocalOutRules(PolicyTable table, IReadOnlyDictionary<string, PolicyTunnelDevice> devices, List<string> routeTunnels)
    {
        foreach (var compiled in table.Policies)
        {
            var policy = compiled.Policy;
            var outInterfaces = policy.Action == PolicyAction.Ipsec
                ? policy.DestinationInterfaces
                : [.. policy.DestinationInterfaces.Where(i => i == FirewallPolicy.AnyInterface || routeTunnels.Contains(i))];
            if (!policy.Enabled || outInterfaces.IsEmpty || Verdict(policy, devices) is not { } verdict)
            {
                continue;
            }

            // "any" as dstintf of an accept/deny policy covers only the tunnel interfaces here: other local-out is not governed.
            var interfaces = policy.Action != PolicyAction.Ipsec && outInterfaces.Contains(FirewallPolicy.AnyInterface)
                ? [.. routeTunnels]
                : outInterfaces;
            if (interfaces.IsEmpty || Match(null, null, compiled.Sources, compiled.Destinations) is not { } addresses)
            {
                continue;
            }

            var oif = interfaces.Contains(FirewallPolicy.AnyInterface) ? "" : Set(interfaces) is { } names ? $"oifname {names} " : null;
            if (oif is not null)
            {
                foreach (var service in ServiceMatches(compiled))
                {
                    foreach (var when in ScheduleMatches(compiled))
                    {
                        yield return $"{oif}{addresses}{service}{when}counter name \"{CounterName(policy.Id)}\" {verdict}";
                    }
                }
            }
        }

        if (Set(routeTunnels) is { } tunnels)
        {
            yield return $"oifname {tunnels} counter name \"{ImplicitDenyCounter}\" drop";
        }
    }

    /// <summary>
    /// In prerouting: the match for forwarded traffic (output interface from the FIB) and, with <paramref name="withLocal"/>
    /// and a specific output interface, the match for traffic to this host (no FIB output interface; not checked). An empty
    /// <paramref name="outInterfaces"/> means any; for an ipsec policy with "any", forwarded only.
    /// </summary>
    private static IEnumerable<string> Alternatives(
        IReadOnlyCollection<string>? inInterfaces,
        IReadOnlyCollection<string> outInterfaces,
        IReadOnlyList<(uint First, uint Last)> sources,
        IReadOnlyList<(uint First, uint Last)> destinations,
        bool withLocal = true)
    {
        var any = outInterfaces.Count == 0 || outInterfaces.Contains(FirewallPolicy.AnyInterface);
        if (any)
        {
            var prefix = withLocal ? "" : "fib daddr type != local ";
            if (Match(inInterfaces, null, sources, destinations) is { } match)
            {
                yield return prefix + match;
            }

            yield break;
        }

        if (Match(inInterfaces, outInterfaces, sources, destinations, fib: true) is { } forwarded)
        {
            yield return forwarded;
        }

        if (withLocal && Match(inInterfaces, outInterfaces, sources, destinations, fib: true, toLocal: true) is { } local)
        {
            yield return local;
        }
    }

    /// <summary>
    /// The protocol and port matches of a policy's services, one alternative each (followed by a space; empty for "every
    /// protocol"); none when the policy has no service. The destination port is the one the connection's starter
    /// connects to, as in <see cref="PolicyTable"/>. Only numbers are written.
    /// </summary>
    private static IEnumerable<string> ServiceMatches(CompiledPolicy compiled)
    {
        if (compiled.Services.Any(s => s.Protocol == 0 && s.AllPorts))
        {
            yield return "";
            yield break;
        }

        foreach (var service in compiled.Services)
        {
            var text = new StringBuilder();
            if (service.Protocol != 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"meta l4proto {service.Protocol} ");
            }

            if (!service.AllPorts)
            {
                text.Append(CultureInfo.InvariantCulture, $"th dport {Ports(service.DestinationLow, service.DestinationHigh)} ");
                if (service.SourceLow != 0 || service.SourceHigh != ushort.MaxValue)
                {
                    text.Append(CultureInfo.InvariantCulture, $"th sport {Ports(service.SourceLow, service.SourceHigh)} ");
                }
            }

            yield return text.ToString();
        }
    }

    /// <summary>
    /// The time matches of a policy's schedule, one alternative each (followed by a space; empty for <c>always</c>); none
    /// when the schedule is never active. nft compares <c>meta hour</c> and <c>meta time</c> in UTC and converts the
    /// literals from its own time zone, so the gateway runs nft with <c>TZ=UTC</c> (<see cref="ExternalCommand"/>); the
    /// kernel's <c>meta day</c> is the UTC day (with the kernel time zone offset at 0, Linux's default).
    /// </summary>
    private static IEnumerable<string> ScheduleMatches(CompiledPolicy compiled)
    {
        if (compiled.Schedule is not { } schedule)
        {
            yield break;
        }

        if (schedule.IsAlways)
        {
            yield return "";
            yield break;
        }

        if (!schedule.Recurring)
        {
            yield return $"meta time >= \"{Moment(schedule.OnceStart)}\" meta time < \"{Moment(schedule.OnceEnd)}\" ";
            yield break;
        }

        foreach (var window in schedule.Windows)
        {
            var text = new StringBuilder();
            if (window.Days.Length < 7)
            {
                text.Append("meta day { ").Append(string.Join(", ", window.Days.Select(d => $"\"{d}\""))).Append(" } ");
            }

            if (window.FromMinute > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $"meta hour >= \"{Hour(window.FromMinute)}\" ");
            }

            if (window.ToMinute < ScheduleWindow.MinutesPerDay)
            {
                text.Append(CultureInfo.InvariantCulture, $"meta hour < \"{Hour(window.ToMinute)}\" ");
            }

            yield return text.ToString();
        }
    }

    private static string Hour(int minutes) => $"{minutes / 60:00}:{minutes % 60:00}";

    private static string Moment(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Ports(ushort low, ushort high) =>
        low == high ? low.ToString(CultureInfo.InvariantCulture) : $"{low}-{high}";

    /// <summary>What a matching policy does to a new connection; null when it can do nothing here (an ipsec policy without a device).</summary>
    private static string? Verdict(FirewallPolicy policy, IReadOnlyDictionary<string, PolicyTunnelDevice> devices) => policy.Action switch
    {
        PolicyAction.Accept => $"{Admitted(policy.Id)}accept",
        PolicyAction.Deny => "drop",
        PolicyAction.Ipsec when !policy.Outbound => "drop",
        PolicyAction.Ipsec when policy.VpnTunnel is { } tunnel && devices.TryGetValue(tunnel, out var device) =>
            $"meta mark set {device.MarkText} ct mark set {device.MarkText} {Admitted(policy.Id)}accept",
        _ => null,
    };

    /// <summary>The statements that record the admitting policy in the new session's labels (<see cref="PolicyLabel"/>), each followed by a space.</summary>
    private static string Admitted(long policyId) =>
        string.Concat(PolicyLabel.Bits(policyId).Select(bit => string.Create(CultureInfo.InvariantCulture, $"ct label set {bit} ")));

    /// <summary>
    /// The match expressions of interfaces and addresses, each followed by a space; null when the policy can never match
    /// (only invalid interface names). A null interface list is not checked; <c>any</c> matches every interface.
    /// </summary>
    private static string? Match(
        IReadOnlyCollection<string>? inInterfaces,
        IReadOnlyCollection<string>? outInterfaces,
        IReadOnlyList<(uint First, uint Last)> sources,
        IReadOnlyList<(uint First, uint Last)> destinations,
        bool fib = false,
        bool toLocal = false)
    {
        var text = new StringBuilder();
        if (inInterfaces is not null && !inInterfaces.Contains(FirewallPolicy.AnyInterface))
        {
            if (Set(inInterfaces) is not { } names)
            {
                return null;
            }

            text.Append(CultureInfo.InvariantCulture, $"iifname {names} ");
        }

        if (outInterfaces is not null && !outInterfaces.Contains(FirewallPolicy.AnyInterface))
        {
            if (Set(outInterfaces) is not { } names)
            {
                return null;
            }

            // Traffic to this host has no FIB output interface; its dstintf is not checked (see remarks).
            var output = toLocal ? "fib daddr type local " : fib ? $"fib daddr oifname {names} " : $"oifname {names} ";
            text.Append(output);
        }

        AppendAddresses(text, "saddr", sources);
        AppendAddresses(text, "daddr", destinations);
        return text.ToString();
    }

    private static void AppendAddresses(StringBuilder text, string field, IReadOnlyList<(uint First, uint Last)> ranges)
    {
        if (ranges.Any(r => r.First == 0 && r.Last == uint.MaxValue))
        {
            return;
        }

        // An empty list (an unknown name, refused by validation) matches nothing: 255.255.255.255 alone never occurs as both.
        IEnumerable<string> items = ranges.Count == 0
            ? ["255.255.255.255"]
            : ranges.Select(r => r.First == r.Last ? Address(r.First) : $"{Address(r.First)}-{Address(r.Last)}");
        text.Append("ip ").Append(field).Append(" { ").Append(string.Join(", ", items)).Append(" } ");
    }

    private static string Address(uint value) =>
        $"{value >> 24}.{(value >> 16) & 0xff}.{(value >> 8) & 0xff}.{value & 0xff}";

    /// <summary><c>{ "a", "b" }</c> of the valid interface names; null when none is valid.</summary>
    private static string? Set(IEnumerable<string> names)
    {
        var valid = names.Where(IsInterfaceName).Distinct(StringComparer.Ordinal).ToList();
        return valid.Count == 0 ? null : "{ " + string.Join(", ", valid.Select(n => $"\"{n}\"")) + " }";
    }

    /// <summary>A Linux interface name: 1-15 characters, none of them a quote, space, slash or control character.</summary>
    public static bool IsInterfaceName(string name) =>
        name.Length is > 0 and <= 15 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '@' or '+');

    private static void Chain(StringBuilder text, string name, string? hook, IEnumerable<string> rules)
    {
        text.Append(CultureInfo.InvariantCulture, $"\tchain {name} {{\n");
        if (hook is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"\t\t{hook}\n");
        }

        foreach (var rule in rules)
        {
            text.Append(CultureInfo.InvariantCulture, $"\t\t{rule}\n");
        }

        text.Append("\t}\n");
    }
}
