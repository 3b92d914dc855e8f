using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using SharpSwan.Config;
using SharpSwan.Gateway.Events;
using SharpSwan.Gateway.Tests.Diagnostics;

namespace SharpSwan.Gateway.Tests.Events;

/// <summary>
/// The syslog forwarder against syslog servers on the loopback, fed by the event log (and, in one test, by two real
/// engines negotiating), configured the way the gateway configures it: from a whole <see cref="GatewayConfiguration"/>.
/// </summary>
public sealed class SyslogForwarderTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private readonly VpnEventLog _log = new(null, TimeZoneInfo.Utc);
    private readonly SyslogForwarder _forwarder;

    public SyslogForwarderTests()
    {
        _forwarder = new SyslogForwarder(_log, TimeProvider.System, firstBackoff: TimeSpan.FromMilliseconds(20), maxBackoff: TimeSpan.FromMilliseconds(200));
    }

    public void Dispose() => _forwarder.Dispose();

    [Fact]
    public async Task Udp_DefaultFormat_IsPriThenTheStoredRecord_PriFromFacilityAndLevel()
    {
        using var server = new UdpSyslogListener();
        _forwarder.Configure(Configuration($"set status enable", "set server 127.0.0.1", $"set port {server.Port}"));

        var notice = _log.Append(Event("tunnel-up", "notice"));
        Assert.Equal("<189>" + notice.Line, await server.ReceiveAsync());      // local7 (23) * 8 + notice (5)

        var error = _log.Append(Event("negotiate", "error"));
        Assert.Equal("<187>" + error.Line, await server.ReceiveAsync());       // + error (3)

        _forwarder.Configure(Configuration("set status enable", "set server 127.0.0.1", $"set port {server.Port}", "set facility local0"));
        var information = _log.Append(Event("tunnel-stats", "information"));
        Assert.Equal("<134>" + information.Line, await server.ReceiveAsync()); // local0 (16) * 8 + information (6)

        _forwarder.Configure(Configuration("set status enable", "set server 127.0.0.1", $"set port {server.Port}", "set facility daemon"));
        var warning = _log.Append(Event("phase2-down", "warning"));
        Assert.Equal("<28>" + warning.Line, await server.ReceiveAsync());      // daemon (3) * 8 + warning (4)
        Assert.Equal(4, await SentOnceSettledAsync(4));
    }

    [Fact]
    public async Task Rfc5424_HasVersionTimestampHostnameAndAppName_BeforeTheRecord()
    {
        using var server = new UdpSyslogListener();
        _forwarder.Configure(Configuration(["set hostname \"hq-gw\""], "set status enable", "set server 127.0.0.1", $"set port {server.Port}", "set format rfc5424"));

        var record = _log.Append(Event("tunnel-up", "notice"));
        var message = await server.ReceiveAsync();
        var match = Regex.Match(message, @"^<189>1 (?<time>\S+) hq-gw sharpswan - - - (?<msg>.*)$", RegexOptions.Singleline);
        Assert.True(match.Success, message);
        Assert.Equal("2026-11-27T12:00:00.000000Z", match.Groups["time"].Value);
        Assert.Equal(record.Line, match.Groups["msg"].Value);
    }

    [Fact]
    public async Task RealEngineEvents_FromThePipeline_AreForwarded_WithoutTheKey()
    {
        using var pair = new EnginePair();
        using var server = new UdpSyslogListener();
        using var forwarder = new SyslogForwarder(pair.Events, TimeProvider.System);
        forwarder.Configure(Configuration("set status enable", "set server 127.0.0.1", $"set port {server.Port}", "set facility local4"));

        await pair.BringUpAsync();
        var received = new List<string>();
        while (received.Count < 3)
        {
            received.Add(await server.ReceiveAsync());
        }

        var records = pair.Events.Records();
        Assert.Equal(["tunnel-up", "install_sa", "phase2-up"], records.Take(3).Select(r => r.Fields["action"]));
        Assert.Equal(records.Take(3).Select(r => "<165>" + r.Line), received);  // local4 (20) * 8 + notice (5)
        Assert.All(received, m => Assert.DoesNotContain(EnginePair.Psk, m, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reliable_IsTcpWithOctetCounting()
    {
        using var server = new TcpSyslogListener();
        _forwarder.Configure(Configuration("set status enable", "set server 127.0.0.1", $"set port {server.Port}", "set mode reliable"));

        var first = _log.Append(Event("tunnel-up", "notice"));
        var second = _log.Append(Event("tunnel-down", "notice"));
        var frame1 = await server.ReceiveAsync(TcpSyslogListener.OctetCounted);
        var frame2 = await server.ReceiveAsync(TcpSyslogListener.OctetCounted);

        var message1 = "<189>" + first.Line;
        Assert.Equal($"{System.Text.Encoding.UTF8.GetByteCount(message1)} {message1}", frame1);
        Assert.Equal($"{System.Text.Encoding.UTF8.GetByteCount("<189>" + second.Line)} <189>{second.Line}", frame2);
        Assert.Equal(1, server.Accepted);
    }

    [Fact]
    public async Task LegacyReliable_IsTcpWithNewlines()
    {
        using var server = new TcpSyslogListener();
        _forwarder.Configure(Configuration("set status enable", "set server 127.0.0.1", $"set port {server.Port}", "set mode legacy-reliable"));

        var first = _log.Append(Event("tunnel-up", "notice"));
        var second = _log.Append(Event("tunnel-down", "error"));
        Assert.Equal($"<189>{first.Line}\n", await server.ReceiveAsync(TcpSyslogListener.NewlineEnded));
        Assert.Equal($"<187>{second.Line}\n", await server.ReceiveAsync(TcpSyslogListener.NewlineEnded));
    }

    [Fact]
    public async Task ConfigurationChange_RedirectsToTheNewPort()
    {
        using var before = new UdpSyslogListener();
        using var after = new UdpSyslogListener();
        _forwarder.Configure(Configuration("set status enable", "set server 127.0.0.1", $"set port {before.Port}"));
        var first = _log.Append(Event("tunnel-up", "notice"));
        Assert.EndsWith(first.Line, await before.ReceiveAsync(), StringComparison.Ordinal);

        _forwarder.Configure(Configuration("set status enable", "set server 127.0.0.1", $"set port {after.Port}"));
        var second = _log.Append(Event("tunnel-down", "notice"));
        Assert.Equal("<189>" + second.Line, await after.ReceiveAsync());

        // Records go out one at a time in order, so once the second reached the new port the old one has all it will get.
        Assert.Equal(0, before.Waiting);
        Assert.Equal(2, _forwarder.Connections);
    }

    [Fact]
    public async Task StatusDisable_StopsSending_AndEnableStartsAgain()
    {
        using var server = new UdpSyslogListener();
        var enabled = Configuration("set status enable", "set server 127.0.0.1", $"set port {server.Port}");
        _forwarder.Configure(enabled);
        var first = _log.Append(Event("tunnel-up", "notice"));
        Assert.EndsWith(first.Line, await server.ReceiveAsync(), StringComparison.Ordinal);

        _forwarder.Configure(Configuration("set status disable", "set server 127.0.0.1", $"set port {server.Port}"));
        var whileDisabled = _log.Append(Event("tunnel-down", "notice", tunnel: "while-disabled"));

        _forwarder.Configure(enabled);
        var third = _log.Append(Event("tunnel-up", "notice", tunnel: "after-enable"));

        // The next thing the server gets is the record made after re-enabling: the one in between was never sent.
        var next = await server.ReceiveAsync();
        Assert.Equal("<189>" + third.Line, next);
        Assert.DoesNotContain("while-disabled", next, StringComparison.Ordinal);
        Assert.Equal(2, await SentOnceSettledAsync(2));
        Assert.Contains(whileDisabled, _log.Records());
    }

    [Fact]
    public async Task TcpServerRestart_ForwarderReconnects()
    {
        var server = new TcpSyslogListener();
        var port = server.Port;
        _forwarder.Configure(Configuration("set status enable", "set server 127.0.0.1", $"set port {port}", "set mode reliable"));
        var first = _log.Append(Event("tunnel-up", "notice"));
        Assert.EndsWith(first.Line, await server.ReceiveAsync(TcpSyslogListener.OctetCounted), StringComparison.Ordinal);

        server.Dispose();
        using var restarted = new TcpSyslogListener(port);

        // A record written just as the old connection dies may be lost (TCP syslog cannot know); keep producing until the
        // restarted server gets one, and check it is whole and one we made.
        var made = new List<string>();
        string? received = null;
        for (var attempt = 0; attempt < 100 && received is null; attempt++)
        {
            made.Add(_log.Append(Event("tunnel-up", "notice", tunnel: $"after-restart-{attempt}")).Line);
            try
            {
                received = await restarted.ReceiveAsync(TcpSyslogListener.OctetCounted, TimeSpan.FromSeconds(1));
            }
            catch (OperationCanceledException)
            {
                // Not yet: the forwarder may be in back-off.
            }
        }

        Assert.NotNull(received);
        var message = received![(received.IndexOf(' ', StringComparison.Ordinal) + 1)..];
        Assert.Contains(message, made.Select(line => "<189>" + line));
        Assert.Equal(1, restarted.Accepted);
        Assert.True(_forwarder.Connections >= 2);
    }

    [Fact]
    public void UnreachableServer_NeverBlocksTheEventLog_DropsAreCounted()
    {
        using var forwarder = new SyslogForwarder(null, TimeProvider.System, queueCapacity: 4, firstBackoff: TimeSpan.FromMinutes(10));

        // A TCP port with nothing listening: the first connect is refused and the sender waits ten minutes.
        int closedPort;
        using (var probe = new TcpSyslogListener())
        {
            closedPort = probe.Port;
        }

        forwarder.Configure(Configuration("set status enable", "set server 127.0.0.1", $"set port {closedPort}", "set mode reliable"));
        for (var i = 0; i < 100; i++)
        {
            forwarder.Enqueue(new VpnEventRecord($"record {i}", new Dictionary<string, string> { ["level"] = "notice" }));
        }

        // At most the queue's four plus the one the sender holds for its retry were kept.
        Assert.InRange(forwarder.Dropped, 95, 100);
        Assert.Equal(0, forwarder.Sent);
    }

    [Fact]
    public void Frame_AndPriority_FollowRfc5424AndRfc6587()
    {
        Assert.Equal("11 <13>message"u8.ToArray(), SyslogMessage.Frame("<13>message", SyslogMode.Reliable));
        Assert.Equal("<13>message\n"u8.ToArray(), SyslogMessage.Frame("<13>message", SyslogMode.LegacyReliable));
        Assert.Equal("<13>message"u8.ToArray(), SyslogMessage.Frame("<13>message", SyslogMode.Udp));
        Assert.Equal(0, SyslogMessage.Priority(SyslogFacility.Kernel, "emergency"));
        Assert.Equal(191, SyslogMessage.Priority(SyslogFacility.Local7, "debug"));
        Assert.Equal(13, SyslogMessage.Priority(SyslogFacility.User, "notice"));
    }

    private static GatewayConfiguration Configuration(params string[] syslog) => Configuration([], syslog);

    private static GatewayConfiguration Configuration(string[] global, params string[] syslog)
    {
        var text = (global.Length > 0 ? "config system global\n" + string.Concat(global.Select(g => $"    {g}\n")) + "end\n" : "")
            + "config log syslogd setting\n" + string.Concat(syslog.Select(s => $"    {s}\n")) + "end\n";
        var result = ConfigurationLoader.Parse(text, "syslog.conf");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Configuration!;
    }

    private static VpnEvent Event(string action, string level, string tunnel = "to-branch") => new(
        Noon,
        VpnEventIds.ConnectionUpDown,
        level,
        action,
        "IPsec connection status changed",
        "IPsec connection status change",
        tunnel,
        [new("remip", "198.51.100.2", Quoted: false), new("vpntunnel", tunnel)]);

    /// <summary>
    /// The forwarder counts a record as sent after its send call returns, which may be just after the listener got it:
    /// wait (bounded) for the count to reach what the test expects, and return what it is then.
    /// </summary>
    private async Task<long> SentOnceSettledAsync(long expected)
    {
        for (var attempt = 0; attempt < 100 && _forwarder.Sent < expected; attempt++)
        {
            await Task.Delay(20);
        }

        return _forwarder.Sent;
    }
}
