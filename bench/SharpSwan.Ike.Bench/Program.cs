using System.Globalization;
using System.Net;
using System.Text;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Ike.Bench;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Logging;

// A responder IkeEngine driven sans-IO (issue 14 item 7): a dial-up hub (PSK, ECP-256, AES-128-GCM) and in-process
// initiator engines, one IKE SA per initiator tunnel (each with its own identity). The hub is driven like the gateway's
// engine loop: each datagram, then Tick, then NextDeadline. Only the hub's calls are timed, in thread CPU time, for a
// window of new setups once 1,000 / 5,000 / 10,000 SAs exist. Usage: [--levels 1000,5000,10000] [--window 200] [--label X]
var levels = Option("--levels", "1000,5000,10000").Split(',').Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToArray();
var window = int.Parse(Option("--window", "200"), CultureInfo.InvariantCulture);
var label = Option("--label", "this");
const int TunnelsPerInitiator = 500;
const string Psk = "ike-bench-psk-secret-value";
var hubAddress = IPAddress.Parse("198.51.100.1");

var clock = new ManualClock(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
var wire = new Wire();
var options = new IkeEngineOptions { LocalAddressResolver = p => p.LocalGateway };
var hub = new IkeEngine(Parse(HubText(), "hub.conf"), options, clock, SystemRandomSource.Instance, wire.HostFor(), NullIkeLog.Instance);
wire.Attach(hubAddress, hub);
hub.Start();

var total = levels.Max() + window;
var tunnels = new List<(IkeEngine Engine, string Name)>(total);
for (var e = 0; tunnels.Count < total; e++)
{
    var address = new IPAddress([10, 200, (byte)(e / 250), (byte)(1 + (e % 250))]);
    var count = Math.Min(TunnelsPerInitiator, total - tunnels.Count);
    var first = tunnels.Count;
    var engine = new IkeEngine(Parse(InitiatorText(address, first, count), $"i{e}.conf"), options, clock, SystemRandomSource.Instance, wire.HostFor(), NullIkeLog.Instance);
    wire.Attach(address, engine);
    tunnels.AddRange(Enumerable.Range(first, count).Select(i => (engine, $"p{i}")));
}

Console.WriteLine($"ike-engine bench ({label}): responder IkeEngine sans-IO, dial-up PSK, ECP-256, AES-128-GCM; {window} setups timed per level");
Console.WriteLine($"{"existing SAs",12} {"setups",7} {"hub CPU ms/setup",17} {"receive",9} {"tick+deadline",14} {"instances",10}");
var next = 0;
foreach (var level in levels)
{
    // Fill up to the level without the loop's calls (they are what is measured), then settle once, untimed.
    while (next < level)
    {
        Setup(tunnels[next++], timed: false, out _, out _);
    }

    hub.Tick();
    hub.NextDeadline();
    GC.Collect();
    GC.WaitForPendingFinalizers();

    var receive = TimeSpan.Zero;
    var loop = TimeSpan.Zero;
    for (var i = 0; i < window; i++)
    {
        Setup(tunnels[next++], timed: true, out var r, out var l);
        receive += r;
        loop += l;
    }

    var instances = hub.InstancesOf("dial").Count();
    var all = (receive + loop).TotalMilliseconds / window;
    Console.WriteLine(FormattableString.Invariant($"{level,12} {window,7} {all,17:F3} {receive.TotalMilliseconds / window,9:F3} {loop.TotalMilliseconds / window,14:F3} {instances,10}"));
    Console.WriteLine(FormattableString.Invariant($"RESULT {label} {level} {all:F3} {receive.TotalMilliseconds / window:F3} {loop.TotalMilliseconds / window:F3} {instances}"));
    if (instances != next)
    {
        Console.WriteLine($"WARNING: {next} setups started but the hub holds {instances} instances");
    }
}

return;

void Setup((IkeEngine Engine, string Name) tunnel, bool timed, out TimeSpan receive, out TimeSpan loop)
{
    receive = TimeSpan.Zero;
    loop = TimeSpan.Zero;
    clock.Advance(TimeSpan.FromMilliseconds(1));
    tunnel.Engine.Initiate(tunnel.Name, null);
    while (wire.InFlight.TryDequeue(out var datagram))
    {
        var to = wire.Owner(datagram.To.Address);
        if (to != hub)
        {
            to?.ReceiveDatagram(datagram.To, datagram.From, datagram.Bytes);
            continue;
        }

        var start = ThreadCpu.Now();
        hub.ReceiveDatagram(datagram.To, datagram.From, datagram.Bytes);
        var received = ThreadCpu.Now();
        if (timed)
        {
            hub.Tick();
            hub.NextDeadline();
        }

        receive += received - start;
        loop += ThreadCpu.Now() - received;
    }
}

string Option(string name, string fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}

static GatewayConfiguration Parse(string text, string file)
{
    var parsed = ConfigurationLoader.Parse(text, file);
    if (!parsed.IsValid)
    {
        throw new InvalidOperationException(string.Join("\n", parsed.Errors));
    }

    return parsed.Configuration!;
}

string HubText() => $$"""
    config system global
        set ike-cookie-threshold 20000
    end
    config vpn ipsec phase1-interface
        edit "dial"
            set type dynamic
            set interface "eth0"
            set ike-version 2
            set local-gw {{hubAddress}}
            set peertype any
            set proposal aes128gcm-prfsha256
            set dhgrp 19
            set psksecret "{{Psk}}"
        next
    end
    config vpn ipsec phase2-interface
        edit "dial-p2"
            set phase1name "dial"
            set proposal aes128gcm
            set dhgrp 19
            set src-subnet 10.1.0.0 255.255.255.0
            set dst-subnet 10.2.0.0 255.255.255.0
        next
    end
    """;

string InitiatorText(IPAddress address, int first, int count)
{
    var phase1 = new StringBuilder("config vpn ipsec phase1-interface\n");
    var phase2 = new StringBuilder("config vpn ipsec phase2-interface\n");
    for (var i = first; i < first + count; i++)
    {
        phase1.Append(CultureInfo.InvariantCulture, $"""
            edit "p{i}"
                set interface "eth0"
                set ike-version 2
                set local-gw {address}
                set remote-gw {hubAddress}
                set proposal aes128gcm-prfsha256
                set dhgrp 19
                set auto-negotiate disable
                set localid "peer{i}"
                set psksecret "{Psk}"
            next

            """);
        phase2.Append(CultureInfo.InvariantCulture, $"""
            edit "p{i}-p2"
                set phase1name "p{i}"
                set proposal aes128gcm
                set dhgrp 19
                set src-subnet 10.2.0.0 255.255.255.0
                set dst-subnet 10.1.0.0 255.255.255.0
            next

            """);
    }

    return phase1.Append("end\n").Append(phase2).Append("end\n").ToString();
}
