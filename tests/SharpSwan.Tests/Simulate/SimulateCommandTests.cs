using System.Text.Json;
using System.Text.RegularExpressions;

namespace SharpSwan.Tests.Simulate;

/// <summary>`sharpswan simulate` end to end, through the real command line.</summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class SimulateCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sharpswan-simulate-").FullName;

    /// <summary>Three days of `keepalive` with 120 s lifetimes: one rekey every 84-90 s, never an expiry, still up at the end.</summary>
    [Fact]
    public void Three_days_of_keepalive_with_120_second_lifetimes_rekey_about_every_87_seconds_and_never_expire()
    {
        var (a, b) = WritePair("set keepalive enable\n set keylifeseconds 120", "set dpd disable");
        var script = Write("three-days.txt", "send a 10.1.0.5 -> 10.2.0.7   # brings the tunnel up\nadvance 3d\n");

        var (code, stdout, stderr) = ConsoleCapture.Run("simulate", "--config", a, "--config", b, "--script", script, "--seed", "3");

        Assert.True(code == 0, stderr + stdout[^Math.Min(2000, stdout.Length)..]);
        var installsAtA = stdout.Split('\n').Count(l => l.Contains("[a] ike 0:vpn:", StringComparison.Ordinal) && l.Contains("added IPsec SA", StringComparison.Ordinal));
        var rekeys = int.Parse(RekeysLine().Match(stdout).Groups["a"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(installsAtA - 1, rekeys);
        Assert.InRange(rekeys, (3 * 86400 / 90) - 1, (3 * 86400 / 84) + 1);
        Assert.DoesNotContain("expired", stdout, StringComparison.Ordinal);
        Assert.Contains("# sharpswan simulate, seed 3 (replay with --seed 3)", stdout, StringComparison.Ordinal);
        Assert.Contains("# summary at 3d 00:00:00.000", stdout, StringComparison.Ordinal);
        Assert.Contains("invariants hold", stdout, StringComparison.Ordinal);
        Assert.Equal(2, stdout.Split('\n').Count(l => l.StartsWith("#   ESP  vpn/vpn-p2", StringComparison.Ordinal) && l.Contains(" active ", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_same_seed_prints_the_same_timeline_and_json_lines_carry_time_gateway_tunnel_event_and_spis()
    {
        var (a, b) = WritePair("set auto-negotiate enable", string.Empty, "set keylifeseconds 300");
        var script = Write("s.txt", """
            traffic on b 10.2.0.9 -> 10.1.0.9 every 2s
            advance 10m
            link down
            advance 1m
            link up
            advance 2m
            """);

        var first = ConsoleCapture.Run("simulate", "--config", a, "--config", b, "--script", script, "--seed", "11", "--json");
        var second = ConsoleCapture.Run("simulate", "--config", a, "--config", b, "--script", script, "--seed", "11", "--json");
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Stdout, second.Stdout);

        var events = first.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal("start", events[0].GetProperty("event").GetString());
        Assert.Equal(11, events[0].GetProperty("seed").GetInt32());
        var rekey = events.First(e => e.GetProperty("event").GetString() == "child-installed" && e.GetProperty("rekey").GetBoolean());
        Assert.Equal("vpn", rekey.GetProperty("tunnel").GetString());
        Assert.Equal("vpn-p2", rekey.GetProperty("phase2").GetString());
        Assert.Matches("^[0-9a-f]{8}$", rekey.GetProperty("spi_in").GetString());
        Assert.Matches("^[0-9a-f]{8}$", rekey.GetProperty("spi_out").GetString());
        Assert.True(rekey.GetProperty("elapsed").GetDouble() > 0);
        Assert.StartsWith("2025-01-01T", rekey.GetProperty("time").GetString(), StringComparison.Ordinal);
        Assert.Contains(events, e => e.GetProperty("event").GetString() == "script" && e.GetProperty("detail").GetString() == "link down");
        var invariants = events.Single(e => e.GetProperty("event").GetString() == "invariants");
        Assert.True(invariants.GetProperty("hold").GetBoolean());

        var other = ConsoleCapture.Run("simulate", "--config", a, "--config", b, "--script", script, "--seed", "12", "--json");
        Assert.NotEqual(first.Stdout, other.Stdout);
    }

    [Fact]
    public void A_script_with_errors_runs_nothing_and_lists_every_error_with_its_line()
    {
        var (a, b) = WritePair(string.Empty, string.Empty);
        var script = Write("bad.txt", "advance 1m\ntraffic on c 10.1.0.1 -> 10.2.0.1 every 1s\nadvance soon\n");

        var (code, stdout, stderr) = ConsoleCapture.Run("simulate", "--config", a, "--config", b, "--script", script);

        Assert.Equal(1, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("bad.txt:2: unknown gateway 'c'", stderr, StringComparison.Ordinal);
        Assert.Contains("bad.txt:3: 'soon' is not a duration", stderr, StringComparison.Ordinal);
        Assert.Contains("bad.txt: 2 error(s); nothing was simulated", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configuration_that_does_not_load_is_reported_like_check_does()
    {
        var (a, _) = WritePair(string.Empty, string.Empty);
        var broken = Write("broken.conf", "config vpn ipsec phase1-interface\n    edit \"x\"\n        set keylife 5\n    next\nend\n");
        var script = Write("s.txt", "advance 1m\n");

        var (code, _, stderr) = ConsoleCapture.Run("simulate", "--config", a, "--config", broken, "--script", script);

        Assert.Equal(1, code);
        Assert.Contains("broken.conf:3:", stderr, StringComparison.Ordinal);
        Assert.Contains("configuration refused", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private (string A, string B) WritePair(string phase2A, string phase1Both, string phase2B = "")
    {
        var a = Write("a.conf", SimulateFixtures.Config("192.0.2.2", "10.1.0.0", "10.2.0.0", phase2A, phase1Both));
        var b = Write("b.conf", SimulateFixtures.Config("192.0.2.1", "10.2.0.0", "10.1.0.0", phase2B.Length > 0 ? phase2B : phase2A.Replace("set auto-negotiate enable", string.Empty, StringComparison.Ordinal), phase1Both));
        return (a, b);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [GeneratedRegex(@"#   vpn/vpn-p2: (?<a>\d+) rekeys")]
    private static partial Regex RekeysLine();
}
