using System.Globalization;
using System.Text.Json.Nodes;
using SharpSwan.Interop.Tests.Harness;

namespace SharpSwan.Interop.Tests;

/// <summary>
/// The Debian package as an administrator gets it: its files, modes, conffile, user and unit; then the installed binary
/// run with the service's paths (below a scratch root) against strongSwan: readiness over NOTIFY_SOCKET, SIGHUP reloads
/// (a new phase 2 comes up while the running one keeps its SPIs; a broken file changes nothing), /metrics counting the
/// tunnel's traffic, and SIGTERM deleting the SAs at the peer.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PackageInteropTests
{
    private const string ApiKey = "metrics-token-0123456789abcdef";
    private const string WebPort = "8080";

    [Fact]
    public void Package_HoldsTheServiceLayout_CreatesItsUser_AndItsUnitVerifies()
    {
        using var layout = InstalledLayout.Create("package-layout");

        Assert.Equal("../lib/sharpswan/sharpswan", new FileInfo(layout.Binary).LinkTarget);
        Assert.True(File.GetUnixFileMode(layout.Under("/usr/lib/sharpswan/sharpswan")).HasFlag(UnixFileMode.UserExecute | UnixFileMode.OtherExecute));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(layout.ConfigPath));
        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(layout.UnitPath));
        Assert.Equal((UnixFileMode)0b111_101_000, File.GetUnixFileMode(layout.StateDirectory));
        Assert.Equal(["/etc/sharpswan/sharpswan.conf"], File.ReadAllLines(Path.Combine(layout.ControlDirectory, "conffiles")));
        var depends = DebianPackage.Field("Depends");
        Assert.All(new[] { "libpcap0.8", "iproute2", "nftables" }, package => Assert.Contains(package, depends, StringComparison.Ordinal));

        // The binary is the package's version and accepts the default configuration, as ExecStartPre does.
        var version = ProcessRunner.Run(layout.Binary, ["--version"], TimeSpan.FromSeconds(60));
        Assert.Equal($"sharpswan {DebianPackage.Field("Version")}", version.StandardOutput.Trim());
        var check = ProcessRunner.Run(layout.Binary, ["check", "--config", layout.ConfigPath], TimeSpan.FromSeconds(60));
        Assert.True(check.Succeeded, check.Describe());

        var verify = ProcessRunner.Run("systemd-analyze", ["verify", layout.UnitForVerification()], TimeSpan.FromSeconds(60));
        Assert.True(verify.Succeeded, verify.Describe());
        var unit = File.ReadAllText(layout.UnitPath);
        Assert.Contains("Type=notify\n", unit, StringComparison.Ordinal);
        Assert.Contains("User=sharpswan\n", unit, StringComparison.Ordinal);
        Assert.Contains("CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW CAP_NET_BIND_SERVICE\n", unit, StringComparison.Ordinal);

        // postinst in the scratch root (DPKG_ROOT): the system user, and the files it must write are its own.
        File.WriteAllText(layout.Under("/etc/passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        File.WriteAllText(layout.Under("/etc/group"), "root:x:0:\n");
        File.WriteAllText(layout.Under("/etc/shadow"), "root:*:19000:0:99999:7:::\n");
        File.WriteAllText(layout.Under("/etc/gshadow"), "root:*::\n");
        var postinst = ProcessRunner.Run(
            "sh", [Path.Combine(layout.ControlDirectory, "postinst"), "configure"], TimeSpan.FromSeconds(60),
            new Dictionary<string, string> { ["DPKG_ROOT"] = layout.Root });
        Assert.True(postinst.Succeeded, postinst.Describe());
        var user = File.ReadAllLines(layout.Under("/etc/passwd")).Single(l => l.StartsWith("sharpswan:", StringComparison.Ordinal)).Split(':');
        Assert.Equal("/usr/sbin/nologin", user[6]);
        Assert.True(int.Parse(user[2], CultureInfo.InvariantCulture) < 1000, "a system user");
        Assert.Equal(user[2], Owner(layout.ConfigPath));
        Assert.Equal(user[2], Owner(layout.StateDirectory));
        Assert.Equal(user[2], Owner(layout.Under("/etc/sharpswan")));
    }

    [Fact]
    public void InstalledGateway_ReloadsOnSighup_ServesMetrics_AndDeletesItsSasOnStop()
    {
        using var layout = InstalledLayout.Create("package-run");
        using InteropScenario scenario = InteropScenario.Create(nameof(InstalledGateway_ReloadsOnSighup_ServesMetrics_AndDeletesItsSasOnStop));
        // Wider selectors on strongSwan's side, so it accepts both phase 2s the gateway proposes (it narrows to them);
        // libipsec installs a route only for a subnet it owns an address in.
        scenario.B.AddLoopbackAddress("10.2.1.1/32");
        StrongSwanPeer branch = scenario.StartStrongSwan(
            scenario.B, scenario.BranchConnection() with { LocalSubnet = "10.2.0.0/16", RemoteSubnet = "10.1.0.0/16" }, "B");
        var baseConfig = (scenario.HeadquartersConfig() with { ExtraConfiguration = AdminConfiguration }).Render();
        File.WriteAllText(layout.ConfigPath, baseConfig);
        using var notify = new NotifySocketListener(Path.Combine(layout.Root, "notify.sock"));
        using var gateway = BackgroundProcess.Start(
            scenario.A.Wrap(layout.Binary, "run", "--config", layout.ConfigPath, "--state-dir", layout.StateDirectory, "--control", layout.ControlSocket, "--log-level", "1"),
            Path.Combine(scenario.DiagnosticsDirectory, "installed-gateway.log"),
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path });
        Require(scenario, gateway, notify.WaitFor("READY=1", TimeSpan.FromSeconds(60)), "the installed gateway tells systemd it is ready");
        Require(scenario, gateway, File.Exists(layout.ControlSocket), "the control socket exists once READY=1 is sent");

        Cli(layout, "diagnose vpn tunnel up to-branch-p2 to-branch");
        scenario.WaitFor(() => branch.InstalledChildSas().Count == 1, TimeSpan.FromSeconds(30), "strongSwan lists the CHILD_SA");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);

        // Metrics: the tunnel's byte counters rise with traffic.
        var rxBefore = Counter(scenario, "sharpswan_tunnel_rx_bytes_total", "to-branch");
        var txBefore = Counter(scenario, "sharpswan_tunnel_tx_bytes_total", "to-branch");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB, count: 10);
        Require(scenario, gateway, Counter(scenario, "sharpswan_tunnel_rx_bytes_total", "to-branch") > rxBefore, "received bytes rise with traffic");
        Require(scenario, gateway, Counter(scenario, "sharpswan_tunnel_tx_bytes_total", "to-branch") > txBefore, "sent bytes rise with traffic");
        Require(scenario, gateway, Counter(scenario, "sharpswan_child_sas", null) == 1, "one child SA counted");
        Require(scenario, gateway, Sample(scenario, "sharpswan_ike_negotiations_started_total{phase1=\"to-branch\",role=\"initiator\"}") >= 1, "the negotiation the gateway started is counted");
        Require(scenario, gateway, Sample(scenario, "sharpswan_ike_sas") == 1, "one IKE SA counted");

        // The CLI's --json (control socket: no HTTPS, no token) answers with the REST monitor's fields for the same tunnel.
        var rest = JsonNode.Parse(scenario.A.Exec(
            "curl", "-sS", "--fail", "-H", $"Authorization: Bearer {ApiKey}", $"http://127.0.0.1:{WebPort}/api/v2/monitor/vpn/ipsec").StandardOutput)!;
        var cli = JsonNode.Parse(ProcessRunner.Run(
            layout.Binary, ["cli", "--control", layout.ControlSocket, "--json", "-c", "get vpn ipsec tunnel summary"], TimeSpan.FromSeconds(30)).StandardOutput)!;
        Require(scenario, gateway, Stable(cli) == Stable(rest) && Stable(cli).Contains("to-branch up", StringComparison.Ordinal), $"--json matches REST:\n{cli.ToJsonString()}\n{rest.ToJsonString()}");

        var spis = FortiOsOutput.EncryptSpis(Cli(layout, "diagnose vpn tunnel list name to-branch"));
        Require(scenario, gateway, spis.Count == 1, "one outbound SA before the reload");

        // SIGHUP with a new phase 2: it comes up, the running one keeps its SA.
        File.WriteAllText(layout.ConfigPath, baseConfig + SecondPhase2);
        Signal(gateway, "-HUP");
        scenario.WaitFor(() => branch.InstalledChildSas().Count == 2, TimeSpan.FromSeconds(45), "the new phase 2 comes up after SIGHUP");
        var after = Cli(layout, "diagnose vpn tunnel list name to-branch");
        Require(scenario, gateway, spis.All(FortiOsOutput.EncryptSpis(after).Contains), $"the running phase 2 keeps SPI {spis[0]:x8}:\n{after}");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);

        // SIGHUP with a broken file: refused, everything keeps running.
        File.WriteAllText(layout.ConfigPath, baseConfig.Replace("set dhgrp 20", "set dhgrp 999", StringComparison.Ordinal));
        Signal(gateway, "-HUP");
        Require(scenario, gateway, notify.WaitFor("RELOADING=1", TimeSpan.FromSeconds(30)), "the reload is announced");
        Require(scenario, gateway, notify.WaitFor("READY=1", TimeSpan.FromSeconds(30)), "ready again after the refused reload");
        Require(scenario, gateway, !gateway.HasExited, "a broken file does not stop the gateway");
        Require(scenario, gateway, branch.InstalledChildSas().Count == 2, "both phase 2s stay up");
        Require(scenario, gateway, FortiOsOutput.EncryptSpis(Cli(layout, "diagnose vpn tunnel list name to-branch")).Count == 2, "the gateway keeps both SAs");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        Require(scenario, gateway, File.Exists(Path.Combine(layout.StateDirectory, "sharpswan.events.log")), "the event log is in the state directory");

        // SIGTERM: a clean stop deletes the SAs at the peer and removes the tunnel interface.
        Signal(gateway, "-TERM");
        Require(scenario, gateway, gateway.WaitForExit(TimeSpan.FromSeconds(30)) && gateway.ExitCode == 0, "SIGTERM stops the gateway with status 0");
        scenario.WaitFor(() => branch.InstalledChildSas().Count == 0, TimeSpan.FromSeconds(10), "strongSwan got the DELETEs");
        Require(scenario, gateway, !scenario.A.Exec("ip", "link", "show", "to-branch").Succeeded, "the tunnel interface is gone");
    }

    private static string AdminConfiguration => $$"""
        config system global
            set admin-port {{WebPort}}
        end
        config system api-user
            edit "prometheus"
                set accprofile "super_admin"
                set api-key "{{ApiKey}}"
            next
        end
        """;

    private static string SecondPhase2 => """
        config vpn ipsec phase2-interface
            edit "to-branch-p2b"
                set phase1name "to-branch"
                set proposal aes256gcm
                set pfs enable
                set dhgrp 20
                set auto-negotiate enable
                set src-subnet 10.1.0.0 255.255.255.0
                set dst-subnet 10.2.1.0 255.255.255.0
            next
        end

        """;

    private static string Owner(string path)
    {
        var result = ProcessRunner.Run("stat", ["-c", "%u", path], TimeSpan.FromSeconds(10));
        return result.StandardOutput.Trim();
    }

    private static string Cli(InstalledLayout layout, string command) =>
        ProcessRunner.Run(layout.Binary, ["cli", "--control", layout.ControlSocket, "-c", command], TimeSpan.FromSeconds(30)).StandardOutput;

    private static void Signal(BackgroundProcess process, string signal)
    {
        process.Note($"kill {signal}");
        ProcessRunner.Run("kill", [signal, process.Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
    }

    /// <summary>The fields of a monitor answer that do not move with traffic or time: tunnel, status, selectors, SPIs.</summary>
    private static string Stable(JsonNode body) => string.Join(';', body["results"]!.AsArray().Select(t =>
        $"{t!["name"]} {t["status"]} {t["rgwy"]} " + string.Join(',', t["proxyid"]!.AsArray().Select(p => $"{p!["p2name"]}/{p["status"]}/{p["spi_in"]}/{p["spi_out"]}"))));

    /// <summary>One sample of /metrics, scraped with the API token from inside the gateway's namespace.</summary>
    private static double Counter(InteropScenario scenario, string name, string? tunnel) =>
        Sample(scenario, tunnel is null ? name : $"{name}{{tunnel=\"{tunnel}\"}}");

    /// <summary>The value of one series (name and labels as the exposition writes them) in a fresh scrape.</summary>
    private static double Sample(InteropScenario scenario, string series)
    {
        var scrape = scenario.A.Exec(
            "curl", "-sS", "--fail", "-H", $"Authorization: Bearer {ApiKey}", $"http://127.0.0.1:{WebPort}/metrics");
        scenario.Require(scrape.Succeeded, $"/metrics answers: {scrape.Describe()}");
        var line = scrape.StandardOutput.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        scenario.Require(line is not null, $"/metrics has {series}:\n{scrape.StandardOutput}");
        return double.Parse(line![(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    private static void Require(InteropScenario scenario, BackgroundProcess gateway, bool condition, string expectation)
    {
        if (!condition)
        {
            scenario.Fail($"{expectation}\n---- installed gateway ----\n{string.Join('\n', gateway.Tail(80))}");
        }
    }
}
