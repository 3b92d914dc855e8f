using System.Globalization;
using System.Text.RegularExpressions;
using SharpSwan.Interop.Tests.Harness;

namespace SharpSwan.Interop.Tests;

/// <summary>
/// The diagnose toolbox against a tunnel to strongSwan, driven only through `sharpswan cli`: the packet sniffer while the
/// tunnel comes up (with a pcapng that tshark reads back), and the reports, keys option, flush and event log afterwards.
/// </summary>
public sealed partial class DiagnoseToolboxInteropTests
{
    private const string Phase1 = "to-branch";
    private const string Phase2 = "to-branch-p2";
    private const int SnifferCount = 10;
    private static readonly TimeSpan EstablishTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void Sniffer_ShowsTheIkeExchangeAndEsp_WhileTheTunnelComesUp_AndItsPcapReadsInTshark()
    {
        EnsureTshark();
        using InteropScenario scenario = InteropScenario.Create(nameof(Sniffer_ShowsTheIkeExchangeAndEsp_WhileTheTunnelComesUp_AndItsPcapReadsInTshark));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, scenario.BranchConnection(), "B");

        // No phase 1 auto-negotiate: the tunnel must come up only once the sniffer runs.
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, scenario.HeadquartersConfig() with { Phase1AutoNegotiate = false }, "A");
        var pcap = Path.Combine(scenario.DiagnosticsDirectory, "sniffer.pcapng");
        File.Delete(pcap);
        using BackgroundProcess sniffer = gateway.StreamCli(
            scenario.DiagnosticsDirectory, "sniffer", $"diagnose sniffer packet any 'udp port 500 or udp port 4500' 4 {SnifferCount} a pcap={pcap}");
        scenario.WaitFor(() => sniffer.Lines().Any(l => l.StartsWith("filters=[", StringComparison.Ordinal)) || sniffer.HasExited, EstablishTimeout, "the sniffer prints its header");
        scenario.Require(!sniffer.HasExited, $"the sniffer is still capturing after its header; output:\n{string.Join('\n', sniffer.Lines())}");

        gateway.Cli($"diagnose vpn tunnel up {Phase2} {Phase1}");
        scenario.WaitForChildSa(branch, gateway, EstablishTimeout, "strongSwan lists an INSTALLED CHILD_SA");

        // ESP in UDP 4500 (strongSwan forces encapsulation) makes up the rest of the count.
        Traffic.Ping(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB, 5);
        scenario.Require(sniffer.WaitForExit(TimeSpan.FromSeconds(60)), $"the sniffer stops after {SnifferCount} packets; output:\n{string.Join('\n', sniffer.Lines())}");
        scenario.Require(sniffer.ExitCode == 0, $"sharpswan cli exits 0, got {sniffer.ExitCode}");
        WaitForFooter(scenario, sniffer);

        var output = sniffer.Lines().Where(l => !l.StartsWith("[harness", StringComparison.Ordinal)).ToList();
        var text = string.Join('\n', output);
        Assert.Equal(["Using Original Sniffing Mode", "interfaces=[any]", "filters=[udp port 500 or udp port 4500]"], output.Take(3));
        var packets = output.Select(l => PacketLine().Match(l)).Where(m => m.Success).ToList();
        Assert.True(packets.Count == SnifferCount, $"{SnifferCount} packet lines expected:\n{text}");
        Assert.All(packets, p => Assert.Equal(TwoSiteTopology.WanInterface, p.Groups["interface"].Value));

        // IKE_SA_INIT out and back on port 500, in that order; then IKE_AUTH and ESP on 4500.
        var wanA = TwoSiteTopology.WanAddressA;
        var wanB = TwoSiteTopology.WanAddressB;
        Assert.Equal(("out", $"{wanA}.500", $"{wanB}.500"), Endpoints(packets[0]));
        Assert.Matches(@"^udp \d+$", packets[0].Groups["summary"].Value);
        Assert.Equal(("in", $"{wanB}.500", $"{wanA}.500"), Endpoints(packets[1]));
        Assert.Contains(packets, p => Endpoints(p) == ("out", $"{wanA}.4500", $"{wanB}.4500") && p.Groups["summary"].Value.StartsWith("udp ", StringComparison.Ordinal));

        var outboundSpi = FortiOsOutput.EncryptSpis(gateway.Cli("diagnose vpn tunnel list")).Single();
        var inboundSpi = FortiOsOutput.DecryptSpis(gateway.Cli("diagnose vpn tunnel list")).Single();
        Assert.Contains(packets, p => p.Groups["direction"].Value == "out"
            && p.Groups["summary"].Value.StartsWith($"ESP(spi=0x{outboundSpi:x8},seq=0x", StringComparison.Ordinal));
        Assert.Contains(packets, p => p.Groups["direction"].Value == "in"
            && p.Groups["summary"].Value.StartsWith($"ESP(spi=0x{inboundSpi:x8},seq=0x", StringComparison.Ordinal));

        var received = output.Select(l => ReceivedLine().Match(l)).Single(m => m.Success);
        Assert.True(int.Parse(received.Groups[1].Value, CultureInfo.InvariantCulture) >= SnifferCount, text);
        Assert.Contains(output, l => DroppedLine().IsMatch(l));

        // tshark reads the pcapng: the same number of packets, IKEv2 among them, all on wan0.
        ProcessResult tshark = ProcessRunner.Run("tshark", ["-r", pcap, "-T", "fields", "-e", "frame.interface_name", "-e", "_ws.col.Protocol", "-e", "_ws.col.Info"], TimeSpan.FromSeconds(60));
        scenario.Require(tshark.ExitCode == 0, $"tshark -r {pcap} succeeds; got {tshark.Describe()}");
        var rows = tshark.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(r => r.Split('\t')).ToList();
        Assert.Equal(SnifferCount, rows.Count);
        Assert.All(rows, r => Assert.Equal(TwoSiteTopology.WanInterface, r[0]));
        Assert.Contains(rows, r => r.Length > 2 && r[2].Contains("IKE_SA_INIT", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Length > 1 && r[1] == "ESP");
    }

    [Fact]
    public void Reports_Keys_Flush_AndEventLog_MatchTheStrongSwanTunnel()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(Reports_Keys_Flush_AndEventLog_MatchTheStrongSwanTunnel));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, scenario.BranchConnection(), "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, scenario.HeadquartersConfig() with { Phase1AutoNegotiate = false }, "A");
        gateway.Cli($"diagnose vpn tunnel up {Phase2} {Phase1}");
        scenario.WaitForChildSa(branch, gateway, EstablishTimeout, "strongSwan lists an INSTALLED CHILD_SA");
        ChildSaEntry child = branch.InstalledChildSas().Single();

        // Keys: hidden by default, printed (AES-GCM-256: 32-byte key + 4-byte salt) only with the explicit option.
        var list = gateway.Cli("diagnose vpn tunnel list");
        Assert.Contains($"  enc: spi={child.InboundSpi:x8} esp=aes-gcm key=36 <hidden>", list, StringComparison.Ordinal);
        var withKeys = gateway.Cli($"diagnose vpn tunnel list name {Phase1} keys");
        Assert.Matches($@"  dec: spi={child.OutboundSpi:x8} esp=aes-gcm key=36 [0-9a-f]{{72}}\n", withKeys);
        Assert.Matches($@"  enc: spi={child.InboundSpi:x8} esp=aes-gcm key=36 [0-9a-f]{{72}}\n", withKeys);
        Assert.DoesNotContain(scenario.PreSharedKey, withKeys, StringComparison.Ordinal);

        // The tunnel interface is captured too: the cleartext side of the same traffic.
        using (BackgroundProcess tunSniffer = gateway.StreamCli(scenario.DiagnosticsDirectory, "tun-sniffer", $"diagnose sniffer packet {Phase1} icmp 4 2"))
        {
            scenario.WaitFor(() => tunSniffer.Lines().Any(l => l.StartsWith("filters=[icmp]", StringComparison.Ordinal)) || tunSniffer.HasExited, EstablishTimeout, "the TUN sniffer prints its header");
            Traffic.Ping(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB, 1);
            scenario.Require(tunSniffer.WaitForExit(TimeSpan.FromSeconds(60)), $"the TUN sniffer stops after 2 packets; output:\n{string.Join('\n', tunSniffer.Lines())}");
            WaitForFooter(scenario, tunSniffer);
            var lines = tunSniffer.Lines();
            Assert.Contains(lines, l => Regex.IsMatch(l, $@"^\d+\.\d{{6}} {Phase1} out {Regex.Escape(TwoSiteTopology.LanAddressA)} -> {Regex.Escape(TwoSiteTopology.LanAddressB)}: icmp: echo request$"));
            Assert.Contains(lines, l => Regex.IsMatch(l, $@"^\d+\.\d{{6}} {Phase1} in {Regex.Escape(TwoSiteTopology.LanAddressB)} -> {Regex.Escape(TwoSiteTopology.LanAddressA)}: icmp: echo reply$"));
        }

        var badFilter = gateway.Cli($"diagnose sniffer packet {TwoSiteTopology.WanInterface} 'udp port' 1 1");
        Assert.StartsWith("pcap_compile: ", badFilter, StringComparison.Ordinal);
        Assert.EndsWith("Command fail. Return code -1\n", badFilter, StringComparison.Ordinal);

        // Details and statistics agree with strongSwan's view of the SA.
        var details = gateway.Cli("get vpn ipsec tunnel details");
        Assert.Contains($"local-gateway: {TwoSiteTopology.WanAddressA}:4500 (static)\n", details, StringComparison.Ordinal);
        Assert.Contains($"remote-gateway: {TwoSiteTopology.WanAddressB}:4500 (static)\n", details, StringComparison.Ordinal);
        Assert.Contains($"    inbound\n      spi: {child.OutboundSpi:x8}\n", details, StringComparison.Ordinal);
        Assert.Contains($"    outbound\n      spi: {child.InboundSpi:x8}\n", details, StringComparison.Ordinal);
        Assert.EndsWith("selectors\n total: 1\n up: 1\n", gateway.Cli("get vpn ipsec stats tunnel"), StringComparison.Ordinal);
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        var stat = gateway.Cli("diagnose vpn tunnel stat");
        Assert.StartsWith("dev=1 tunnel=1 proxyid=1 sa=1 conc=0 up=1\n", stat, StringComparison.Ordinal);
        Assert.Matches(@"rxp=[1-9]\d* txp=[1-9]\d* ", stat);

        // The event log (on disk next to the configuration, and in `execute log display`).
        var display = gateway.Cli("execute log display");
        Assert.Matches(@"^3 logs found\.\n3 logs returned\.\n\n1: date=", display);
        Assert.Contains($"action=\"tunnel-up\" remip={TwoSiteTopology.WanAddressB} locip={TwoSiteTopology.WanAddressA} remport=4500 locport=4500 outintf=\"{TwoSiteTopology.WanInterface}\"", display, StringComparison.Ordinal);
        Assert.Contains("action=\"phase2-up\"", display, StringComparison.Ordinal);
        var eventFile = Path.ChangeExtension(gateway.ConfigPath, ".events.log");
        Assert.Equal(3, File.ReadAllLines(eventFile).Length);

        // Flush deletes the phase 2 SA on both sides and keeps the IKE SA.
        Assert.Equal(string.Empty, gateway.Cli($"diagnose vpn tunnel flush {Phase1}"));
        scenario.WaitFor(() => branch.InstalledChildSas().Count == 0, EstablishTimeout, "strongSwan's CHILD_SA is deleted after the flush");
        scenario.WaitFor(() => File.ReadAllText(eventFile).Contains("action=\"phase2-down\"", StringComparison.Ordinal), EstablishTimeout, "a phase2-down event");
        Assert.Contains($"name: {Phase1}\n", gateway.Cli("diagnose vpn ike gateway list"), StringComparison.Ordinal);
        Assert.Contains("  status: established", gateway.Cli("diagnose vpn ike gateway list"), StringComparison.Ordinal);
        Assert.DoesNotContain("tunnel-down", File.ReadAllText(eventFile), StringComparison.Ordinal);
    }

    [Fact]
    public void DebugStream_ThroughTheCli_ShowsTheFilteredNegotiation_UntilCtrlC()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(DebugStream_ThroughTheCli_ShowsTheFilteredNegotiation_UntilCtrlC));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, scenario.BranchConnection(), "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, scenario.HeadquartersConfig() with { Phase1AutoNegotiate = false }, "A");
        using BackgroundProcess debug = gateway.StreamCli(
            scenario.DiagnosticsDirectory, "debug",
            "diagnose debug application ike -1",
            $"diagnose vpn ike log-filter dst-addr4 {TwoSiteTopology.WanAddressB}",
            "diagnose debug console timestamp enable",
            "diagnose debug enable");

        // The stream prints nothing until something happens, so bring the tunnel up (again) until a whole
        // negotiation has been seen; a stream that subscribed late just misses the first attempt.
        var seen = false;
        for (var attempt = 0; attempt < 5 && !seen; attempt++)
        {
            gateway.Cli("diagnose vpn ike gateway clear");
            gateway.Cli($"diagnose vpn tunnel up {Phase2} {Phase1}");
            seen = Wait.Until(() => debug.Lines().Any(l => l.Contains("added IPsec SA", StringComparison.Ordinal)) || debug.HasExited, TimeSpan.FromSeconds(15));
        }

        scenario.Require(seen && !debug.HasExited, $"the debug stream shows the tunnel coming up; output:\n{string.Join('\n', debug.Lines())}");
        scenario.WaitForChildSa(branch, gateway, EstablishTimeout, "strongSwan lists an INSTALLED CHILD_SA");

        // Ctrl-C ends the stream and the CLI.
        ProcessRunner.Run("kill", ["-INT", debug.Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
        scenario.Require(debug.WaitForExit(TimeSpan.FromSeconds(30)), "sharpswan cli exits after Ctrl-C");

        var lines = debug.Lines().Where(l => !l.StartsWith("[harness", StringComparison.Ordinal) && l.Contains(" ike ", StringComparison.Ordinal)).ToList();
        Assert.All(lines, l => Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ike 0:", l));
        Assert.Contains(lines, l => l.Contains($" ike 0:{Phase1}:", StringComparison.Ordinal) && l.Contains("established IKE SA", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($" ike 0: comes {TwoSiteTopology.WanAddressB}:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("sent IKE msg (SA_INIT)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(" ike 0: IKEv2 exchange=SA_INIT ", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.DoesNotContain(scenario.PreSharedKey, l, StringComparison.Ordinal));
    }

    [Fact]
    public void DebugFlow_OnARouteBasedTunnel_ShowsThePingEnteringTheTunnelInterfaceAndItsSA()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(DebugFlow_OnARouteBasedTunnel_ShowsThePingEnteringTheTunnelInterfaceAndItsSA));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, scenario.BranchConnection(), "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, scenario.HeadquartersConfig(), "A");
        gateway.Cli($"diagnose vpn tunnel up {Phase2} {Phase1}");
        scenario.WaitForChildSa(branch, gateway, EstablishTimeout, "strongSwan lists an INSTALLED CHILD_SA");

        // No firewall policy in this configuration: the trace still shows where the packet goes and what the core does.
        using BackgroundProcess flow = scenario.StartFlowTrace(gateway, 1, $"diagnose debug flow filter daddr {TwoSiteTopology.LanAddressB}");
        Traffic.Ping(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB, count: 1);
        scenario.Require(flow.WaitForExit(TimeSpan.FromSeconds(30)), $"the flow trace ends after one packet; output:\n{string.Join('\n', flow.Lines())}");

        var output = string.Join('\n', flow.Lines());
        scenario.Require(
            output.Contains($"id=20085 trace_id=1 msg=\"find a route: gw-{TwoSiteTopology.LanAddressB} via {Phase1}\"", StringComparison.Ordinal)
                && output.Contains($"id=20085 trace_id=1 msg=\"enter IPSec interface-{Phase1}\"", StringComparison.Ordinal)
                && Regex.IsMatch(output, $"id=20085 trace_id=1 msg=\"encrypted by SA spi=[0-9a-f]{{8}} of phase2 {Phase2}, and send to {TwoSiteTopology.WanAddressB} with source {TwoSiteTopology.WanAddressA}\""),
            $"the trace shows the route into the route-based tunnel's interface, the ping entering it, and the SA it was encrypted on; output:\n{output}");
        scenario.Require(!output.Contains("trace_id=2", StringComparison.Ordinal), "the reply is not traced: the filter is on the destination");
    }

    /// <summary>The process may have exited before its last lines were read from the pipe: wait for the closing counters.</summary>
    private static void WaitForFooter(InteropScenario scenario, BackgroundProcess sniffer) =>
        scenario.WaitFor(() => sniffer.Lines().Any(l => DroppedLine().IsMatch(l)), TimeSpan.FromSeconds(10), "the sniffer's closing counters are read");

    private static (string Direction, string Source, string Destination) Endpoints(Match packet) =>
        (packet.Groups["direction"].Value, packet.Groups["source"].Value, packet.Groups["destination"].Value);

    /// <summary>tshark reads the sniffer's pcapng; test.sh installs it, and so does this when run alone.</summary>
    private static void EnsureTshark()
    {
        if (ProcessRunner.Run("sh", ["-c", "command -v tshark"], TimeSpan.FromSeconds(10)).Succeeded)
        {
            return;
        }

        var environment = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        ProcessResult install = ProcessRunner.Run("apt-get", ["install", "-y", "-q", "tshark"], TimeSpan.FromMinutes(10), environment);
        if (!install.Succeeded)
        {
            ProcessRunner.Run("apt-get", ["update", "-q"], TimeSpan.FromMinutes(5), environment);
            install = ProcessRunner.Run("apt-get", ["install", "-y", "-q", "tshark"], TimeSpan.FromMinutes(10), environment);
        }

        Assert.True(install.Succeeded, $"tshark is needed to read the sniffer's pcap; apt-get install tshark failed: {install.Describe()}");
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} (?<interface>\S+) (?<direction>in|out) (?<source>\S+) -> (?<destination>\S+): (?<summary>.+)$")]
    private static partial Regex PacketLine();

    [GeneratedRegex(@"^(\d+) packets received by filter$")]
    private static partial Regex ReceivedLine();

    [GeneratedRegex(@"^\d+ packets dropped by kernel$")]
    private static partial Regex DroppedLine();
}
