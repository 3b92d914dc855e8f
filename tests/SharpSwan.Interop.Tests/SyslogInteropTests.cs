using SharpSwan.Interop.Tests.Harness;

namespace SharpSwan.Interop.Tests;

/// <summary>
/// `config log syslogd setting` on a running gateway: the event log's records (tunnel up against strongSwan) reach a UDP
/// syslog listener with the configured facility, and no secret travels with them.
/// </summary>
public sealed class SyslogInteropTests
{
    private const int SyslogPort = 5514;

    [Fact]
    public void TunnelEvents_ReachTheConfiguredSyslogServer_WithItsFacility()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(TunnelEvents_ReachTheConfiguredSyslogServer_WithItsFacility));
        var received = Path.Combine(scenario.WorkDirectory, "syslog-received.txt");
        var script = Path.Combine(scenario.WorkDirectory, "syslog-listener.py");
        File.WriteAllText(script, $$"""
            import socket, sys
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(("127.0.0.1", {{SyslogPort}}))
            out = open(sys.argv[1], "a", buffering=1)
            while True:
                data, _ = s.recvfrom(65535)
                out.write(data.decode("utf-8", "replace").rstrip("\n") + "\n")
            """);
        using var listener = BackgroundProcess.Start(
            ["ip", "netns", "exec", scenario.A.Name, "python3", "-u", script, received],
            Path.Combine(scenario.DiagnosticsDirectory, "syslog-listener.log"));

        scenario.StartStrongSwan(scenario.B, scenario.BranchConnection(), "B");
        scenario.StartSharpSwan(scenario.A, scenario.HeadquartersConfig() with
        {
            Phase2AutoNegotiate = true,
            ExtraConfiguration = $"""
                config log syslogd setting
                    set status enable
                    set server "127.0.0.1"
                    set port {SyslogPort}
                    set facility local6
                end
                """,
        }, "A");

        string Received() => File.Exists(received) ? File.ReadAllText(received) : string.Empty;
        scenario.WaitFor(() => Received().Contains("action=\"tunnel-up\"", StringComparison.Ordinal), TimeSpan.FromSeconds(45), "a tunnel-up record arrives at the syslog listener");
        var tunnelUp = Received().Split('\n').First(line => line.Contains("action=\"tunnel-up\"", StringComparison.Ordinal));

        // local6 (22) * 8 + notice (5): FortiOS logs tunnel-up at notice.
        scenario.Require(tunnelUp.StartsWith("<181>", StringComparison.Ordinal), $"the record carries PRI <181> (local6.notice): {tunnelUp}");
        scenario.Require(tunnelUp.Contains("type=\"event\"", StringComparison.Ordinal) && tunnelUp.Contains("subtype=\"vpn\"", StringComparison.Ordinal) && tunnelUp.Contains("vpntunnel=\"to-branch\"", StringComparison.Ordinal), $"it is the FortiOS VPN event record: {tunnelUp}");
        scenario.Require(!Received().Contains(scenario.PreSharedKey, StringComparison.Ordinal), "no pre-shared key is sent to syslog");
    }
}
