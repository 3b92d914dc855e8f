using SharpSwan.Cli.Grammar;

namespace SharpSwan.Gateway.Control;

/// <summary>
/// The gateway's commands beyond configuration editing, in FortiOS words: the tunnel reports and actions, the diagnose
/// toolbox and the event log. This one tree is what the control socket dispatches and what Tab and <c>?</c> offer
/// (the configuration editor adds <c>config</c>, <c>show</c> and the <c>get</c> of tables beside it).
/// </summary>
public static class OperationalCommands
{
    public static CommandTree Tree { get; } = new([Diagnose(), Get(), Execute()]);

    private static CommandNode Diagnose() =>
        new("diagnose", "diagnose facility: tunnels, IKE, debug output, sniffer", [
            new("vpn", "VPN diagnostics", [
                new("tunnel", "IPsec tunnels (phase 2 SAs)", [
                    new("list", "list the tunnels with their SAs and counters", [Name(Keys()), Keys()]) { Handler = c => Run(c).Gateway.TunnelListAsync(c), JsonHandler = IpsecJson },
                    new("up", "bring a phase 2 up", TunnelSelector()) { Handler = c => Run(c).Gateway.TunnelActionAsync(c) },
                    new("down", "take a phase 2 down", TunnelSelector()) { Handler = c => Run(c).Gateway.TunnelActionAsync(c) },
                    new("flush", "delete every IPsec SA, or those of one phase 1", [Name(), new("<phase1>", "only this phase 1") { Optional = true }]) { Handler = c => Run(c).Diagnose.FlushAsync(c) },
                    new("stat", "tunnel statistics") { Handler = c => Run(c).Diagnose.TunnelStatAsync(c) },
                    new("rekey", "rekey a phase 2 now (SharpSwan)", TunnelSelector()) { Handler = c => Run(c).Gateway.TunnelActionAsync(c), Hidden = true },
                ]),
                new("ike", "IKE diagnostics", [
                    new("gateway", "IKE SAs", [
                        new("list", "list the IKE SAs", [Name()]) { Handler = c => Run(c).Gateway.GatewayListAsync(c), JsonHandler = IpsecJson },
                        new("clear", "delete IKE SAs (and their tunnels)", [Name()]) { Handler = c => Run(c).Gateway.GatewayClearAsync(c) },
                        new("rekey", "rekey the IKE SA now, keeping its child SAs (SharpSwan)", [Name()]) { Handler = c => Run(c).Gateway.GatewayRekeyAsync(c), Hidden = true },
                    ]),
                    new("stats", "IKE counters: SAs, unprotected and unverified messages dropped") { Handler = c => Run(c).Diagnose.IkeStatsAsync(c) },
                    new("log-filter", "narrow the IKE debug output", LogFilterOptions()) { Handler = c => Run(c).Diagnose.LogFilterAsync(c) },
                    new("filter", "narrow the IKE debug output (FortiOS 7.2+ name of log-filter)", LogFilterOptions())
                    {
                        Handler = c => Run(c).Diagnose.LogFilterAsync(c),
                        Hidden = true,
                    },
                ]),
            ]),
            new("firewall", "firewall policy diagnostics", [
                new("policy", "firewall policies", [
                    new("list", "policies in match order with hit counts (SharpSwan's name; FortiOS: diagnose firewall iprope list)")
                    {
                        Handler = c => Run(c).Diagnose.PolicyListAsync(c),
                    },
                ]),
            ]),
            new("sys", "system diagnostics", [
                new("session", "the session table (the kernel's IPv4 connection tracking)", [
                    new("filter", "choose the sessions list shows and clear deletes (no arguments: show the filter)", SessionFilterOptions())
                    {
                        Handler = c => Run(c).Diagnose.SessionFilterAsync(c),
                    },
                    new("list", "the sessions the filter matches (all without one)")
                    {
                        Handler = c => Run(c).Diagnose.SessionListAsync(c),
                    },
                    new("stat", "the session count and the TCP sessions by state")
                    {
                        Handler = c => Run(c).Diagnose.SessionStatAsync(c),
                    },
                    new("clear", "delete the sessions the filter matches (all without one): policies decide them again at their next packet")
                    {
                        Handler = c => Run(c).Diagnose.SessionClearAsync(c),
                    },
                ]),
            ]),
            new("debug", "debug output on this console", [
                new("application", "debug level of a daemon", [
                    new("ike", "the IKE daemon", [new("<level>", "-1 everything, 0 off, 1 events, 2 negotiation, 3 packets")]) { Handler = c => Run(c).Diagnose.DebugLevelAsync(c) },
                ]),
                new("enable", "start showing debug output (Ctrl-C stops)") { Handler = c => Run(c).Diagnose.DebugEnableAsync(c) },
                new("disable", "stop showing debug output") { Handler = c => Run(c).Diagnose.DebugDisableAsync(c) },
                new("reset", "debug settings back to their defaults") { Handler = c => Run(c).Diagnose.DebugResetAsync(c) },
                new("console", "console options", [
                    new("timestamp", "time stamps on debug lines", [
                        new("enable", "show time stamps") { Handler = c => Run(c).Diagnose.ConsoleTimestampAsync(c, on: true) },
                        new("disable", "no time stamps") { Handler = c => Run(c).Diagnose.ConsoleTimestampAsync(c, on: false) },
                    ]),
                ]),
                new("info", "the debug settings of this console") { Handler = c => Run(c).Diagnose.DebugInfoAsync(c) },
                new("flow", "follow packets through the firewall policies into the tunnels", [
                    new("filter", "choose the packets a trace follows (no arguments: show the filter)", FlowFilterOptions())
                    {
                        Handler = c => Run(c).Diagnose.FlowFilterAsync(c),
                    },
                    new("show", "what trace lines show", [
                        new("function-name", "the nftables chain and rule handle of each step", [
                            new("enable", "show them") { Handler = c => Run(c).Diagnose.FlowShowFunctionNameAsync(c, on: true) },
                            new("disable", "leave them out") { Handler = c => Run(c).Diagnose.FlowShowFunctionNameAsync(c, on: false) },
                        ]),
                    ]),
                    new("trace", "the trace (shown where debug output is enabled)", [
                        new("start", "trace the next packets the filter matches", [new("<count>", "packets to trace (1-100000)")])
                        {
                            Handler = c => Run(c).Diagnose.FlowTraceStartAsync(c),
                        },
                        new("stop", "stop tracing") { Handler = c => Run(c).Diagnose.FlowTraceStopAsync(c) },
                    ]),
                ]),
            ]),
            new("sniffer", "packet capture", [
                new("packet", "capture packets", [new("<interface>", "interface name or any", [new("<filter>", "BPF filter in quotes, e.g. 'udp port 500'", [
                    new("<verbose>", "1-6: headers, data, interface names, hex", [new("<count>", "packets to capture (0: until Ctrl-C)", [new("<tsformat>", "a: absolute, l: local, r: relative")])]),
                ])])]) { Handler = c => Run(c).Diagnose.SnifferAsync(c), FreeArguments = true },
            ]),
        ]);

    private static CommandNode Get() =>
        new("get", "", [
            new("system", "system state", [
                new("status", "version, serial number, host name")
                {
                    Handler = c => Run(c).Gateway.SystemStatusAsync(c),
                    JsonHandler = c => Run(c).Gateway.SystemStatusJsonAsync(c),
                },
                new("session", "the session table", [
                    new("list", "every session, one line each (diagnose sys session list: in detail, filtered)")
                    {
                        Handler = c => Run(c).Diagnose.SessionTableAsync(c),
                    },
                ]),
            ]),
            new("vpn", "VPN state", [new("ipsec", "IPsec state", [
                new("tunnel", "tunnels", [
                    new("summary", "one line per tunnel") { Handler = c => Run(c).Gateway.SummaryAsync(c), JsonHandler = IpsecJson },
                    new("details", "every tunnel in detail") { Handler = c => Run(c).Diagnose.DetailsAsync(c), JsonHandler = IpsecJson },
                    new("name", "one tunnel in detail", [new("<phase1>", "phase 1 name")]) { Handler = c => Run(c).Diagnose.DetailsOfAsync(c), JsonHandler = IpsecJson, Hidden = true },
                ]),
                new("stats", "IPsec statistics", [
                    new("tunnel", "tunnel counts") { Handler = c => Run(c).Diagnose.IpsecStatsAsync(c) },
                ]),
            ])]),
        ]);

    private static CommandNode Execute() =>
        new("execute", "execute an action", [
            new("vpn", "VPN actions", [new("ipsec", "IPsec", [new("tunnel", "IPsec tunnels (phase 2 SAs)", [
                new("up", "bring a phase 2 up (as diagnose vpn tunnel up)", TunnelSelector()) { Handler = c => Run(c).Gateway.TunnelActionAsync(c) },
                new("down", "take a phase 2 down (as diagnose vpn tunnel down)", TunnelSelector()) { Handler = c => Run(c).Gateway.TunnelActionAsync(c) },
            ])])]),
            new("log", "the event log", [
                new("display", "show the event log") { Handler = c => Run(c).Diagnose.LogDisplayAsync(c) },
                new("filter", "choose what is shown", [
                    new("category", "event category", [new("<category>", "event or a number")]),
                    new("field", "only records whose field has one of the values", [new("<field>", "field name", [new("<value>", "values (none: remove the condition)")])]),
                    new("view-lines", "lines per page", [new("<lines>", "5-1000")]),
                    new("start-line", "first line shown", [new("<line>", "1 or more")]),
                    new("dump", "show the filter"),
                    new("reset", "filter back to its defaults"),
                ]) { Handler = c => Run(c).Diagnose.LogFilterSettingAsync(c), FreeArguments = true },
            ]),
        ]);

    /// <summary>The tunnel reports' JSON form: the REST monitor's <c>vpn/ipsec</c> body (<c>--json</c>).</summary>
    private static Task IpsecJson(CommandCall call) => Run(call).Gateway.IpsecJsonAsync(call);

    /// <summary>The optional <c>name &lt;phase1&gt;</c>, and what may follow its value.</summary>
    private static CommandNode Name(params CommandNode[] after) => new("name", "only this phase 1", [new("<phase1>", "phase 1 name", after)]);

    private static CommandNode Keys() => new("keys", "print the SA keys too (SharpSwan)");

    private static List<CommandNode> TunnelSelector() => [new("<phase2>", "phase 2 name", [new("<phase1>", "its phase 1 (optional)") { Optional = true }])];

    private static List<CommandNode> LogFilterOptions() =>
    [
        Name(),
        new("src-addr4", "only this local address", Addresses()),
        new("dst-addr4", "only this remote address", Addresses()),
        new("loc-addr4", "src-addr4 of older releases", Addresses()) { Hidden = true },
        new("rem-addr4", "dst-addr4 of older releases", Addresses()) { Hidden = true },
        new("clear", "remove every filter"),
        new("list", "show the filter"),
    ];

    private static List<CommandNode> SessionFilterOptions() =>
    [
        new("vd", "VDOM index (-1: all; SharpSwan has one, root, index 0)", [new("<index>", "-1 or 0")]),
        new("vd-name", "VDOM name (root, or any)", [new("<name>", "root or any")]),
        new("sintf", "source interface (not available here: the kernel's sessions do not record it)", [new("<name>", "interface")]),
        new("dintf", "destination interface (not available here: the kernel's sessions do not record it)", [new("<name>", "interface")]),
        new("proto", "protocol number", [new("<number>", "0-255, e.g. 1 ICMP, 6 TCP, 17 UDP")]),
        new("proto-state", "protocol state as the list shows it (proto_state)", [new("<state>", "0-255, e.g. 1: TCP established, UDP answered")]),
        new("src", "source address", Addresses()),
        new("nsrc", "NAT'd source address", Addresses()),
        new("dst", "destination address", Addresses()),
        new("sport", "source port", Ports()),
        new("nport", "NAT'd source port", Ports()),
        new("dport", "destination port", Ports()),
        new("expire", "seconds before the session expires", [new("<seconds>", "seconds, or the first of a range", [new("<seconds>", "last of the range") { Optional = true }])]),
        new("duration", "seconds since the session began (not available here: the kernel does not record it by default)", [new("<seconds>", "seconds")]),
        new("session-state1", "FortiOS session state flags (not available here: the kernel's sessions have none of them)", [new("<state>", "state")]),
        new("session-state2", "FortiOS session state flags (not available here: the kernel's sessions have none of them)", [new("<state>", "state")]),
        new("ext-src", "add a source to the extended list (not kept here: use src with a range)", [new("<ipv4>", "address")]),
        new("ext-dst", "add a destination to the extended list (not kept here: use dst with a range)", [new("<ipv4>", "address")]),
        new("ext-src-negate", "add a source to the negated extended list (not kept here: use src and negate src)", [new("<ipv4>", "address")]),
        new("ext-dst-negate", "add a destination to the negated extended list (not kept here: use dst and negate dst)", [new("<ipv4>", "address")]),
        new("policy", "the policy that admitted the session", [new("<id>", "policy id, or the first of a range", [new("<id>", "last policy id of the range") { Optional = true }])]),
        new("negate", "invert one condition", [new("<condition>", "proto, proto-state, src, nsrc, dst, sport, nport, dport, policy or expire")]),
        new("clear", "remove every condition"),
    ];

    private static List<CommandNode> FlowFilterOptions() =>
    [
        new("vd", "VDOM index (-1: all; SharpSwan has one, root, index 0)", [new("<index>", "-1 or 0")]),
        new("proto", "protocol number", [new("<number>", "0-255, e.g. 1 ICMP, 6 TCP, 17 UDP")]),
        new("addr", "source or destination address", Addresses()),
        new("saddr", "source address", Addresses()),
        new("daddr", "destination address", Addresses()),
        new("port", "source or destination port", Ports()),
        new("sport", "source port", Ports()),
        new("dport", "destination port", Ports()),
        new("policy", "policy id (not available: packets are chosen before a policy decides them)", [new("<id>", "policy id")]),
        new("negate", "invert one condition", [new("<condition>", "addr, saddr, daddr, proto, port, sport or dport")]),
        new("clear", "remove every condition"),
    ];

    private static List<CommandNode> Ports() =>
        [new("<port>", "port, or the first of a range", [new("<port>", "last port of the range") { Optional = true }])];

    /// <summary>One address, <c>from-to</c>, or (FortiOS 7.2+) <c>from to</c>.</summary>
    private static List<CommandNode> Addresses() =>
        [new("<ipv4>", "address, or the first of a range", [new("<ipv4>", "last address of the range") { Optional = true }])];

    private static OperationalContext Run(CommandCall call) => (OperationalContext)call.Context;
}
