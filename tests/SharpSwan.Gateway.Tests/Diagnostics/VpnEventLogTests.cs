using System.Net;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Gateway.Events;
using SharpSwan.Ike.Logging;

namespace SharpSwan.Gateway.Tests.Diagnostics;

public sealed class VpnEventLogTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private readonly string directory = Directory.CreateTempSubdirectory("sharpswan-events-").FullName;

    [Fact]
    public void Formatter_WritesTheFortiOsRecordShape_AndReadsItBack()
    {
        var record = Event("tunnel-up", [new("remip", "198.51.100.2", Quoted: false), new("vpntunnel", "to-branch"), new("reason", "say \"hi\"")]);
        var line = VpnEventFormatter.Format(record, TimeZoneInfo.Utc);
        Assert.Equal(
            "date=2026-11-27 time=12:00:00 eventtime=1795780800000000000 tz=\"+0000\" logid=\"0101037138\" type=\"event\" subtype=\"vpn\" level=\"notice\" vd=\"root\" "
            + "logdesc=\"IPsec connection status changed\" msg=\"IPsec connection status change\" action=\"tunnel-up\" remip=198.51.100.2 vpntunnel=\"to-branch\" reason=\"say \\\"hi\\\"\"",
            line);
        var fields = VpnEventFormatter.Fields(line);
        Assert.Equal("198.51.100.2", fields["remip"]);
        Assert.Equal("to-branch", fields["vpntunnel"]);
        Assert.Equal("say \"hi\"", fields["reason"]);
        Assert.Equal("0101037138", fields["logid"]);
    }

    [Fact]
    public void Formatter_UsesTheZoneForDateTimeAndTz()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("minus5", TimeSpan.FromHours(-5), "minus5", "minus5");
        Assert.StartsWith("date=2026-11-27 time=07:00:00 eventtime=", VpnEventFormatter.Format(Event("tunnel-up", []), zone), StringComparison.Ordinal);
        Assert.Contains(" tz=\"-0500\" ", VpnEventFormatter.Format(Event("tunnel-up", []), zone), StringComparison.Ordinal);
    }

    [Fact]
    public void Memory_IsBounded_OldestDropped()
    {
        var log = new VpnEventLog(null, TimeZoneInfo.Utc, capacity: 3);
        for (var i = 0; i < 5; i++)
        {
            log.Append(Event($"action-{i}", []));
        }

        Assert.Equal(["action-2", "action-3", "action-4"], log.Records().Select(r => r.Fields["action"]));
    }

    [Fact]
    public void File_GetsEveryRecord_RotatesBySize_AndIsReadBackOnStart()
    {
        var path = Path.Combine(directory, "sharpswan.events.log");
        var log = new VpnEventLog(path, TimeZoneInfo.Utc, capacity: 100, maxFileBytes: 1000, rotatedFiles: 2);
        var lineLength = VpnEventFormatter.Format(Event("action-0", []), TimeZoneInfo.Utc).Length + 1;
        var perFile = 1000 / lineLength;
        var total = (perFile * 2) + 1;
        for (var i = 0; i < total; i++)
        {
            log.Append(Event($"action-{i}", []));
        }

        Assert.Null(log.LastError);
        Assert.True(File.Exists(path + ".1"));
        Assert.False(File.Exists(path + ".3"));
        Assert.All(Directory.GetFiles(directory), f => Assert.True(new FileInfo(f).Length <= 1000, f));
        var onDisk = new[] { path + ".2", path + ".1", path }.Where(File.Exists).SelectMany(File.ReadAllLines).ToList();
        Assert.Equal(Enumerable.Range(0, total).Select(i => $"action-{i}"), onDisk.Select(l => VpnEventFormatter.Fields(l)["action"]));

        var reopened = new VpnEventLog(path, TimeZoneInfo.Utc);
        Assert.Equal(File.ReadAllLines(path), reopened.Records().Select(r => r.Line));
    }

    [Fact]
    public void UnwritableFile_IsReported_AndMemoryStillWorks()
    {
        var log = new VpnEventLog(Path.Combine(directory, "missing", "events.log"), TimeZoneInfo.Utc);
        log.Append(Event("tunnel-up", []));
        Assert.NotNull(log.LastError);
        Assert.Single(log.Records());
    }

    [Fact]
    public void Query_ShowsNewestFirst_InPages()
    {
        var log = new VpnEventLog(null, TimeZoneInfo.Utc);
        for (var i = 0; i < 12; i++)
        {
            log.Append(Event(i % 2 == 0 ? "tunnel-up" : "tunnel-down", []));
        }

        var query = new VpnEventLogQuery();
        var page = query.Display(log.Records());
        Assert.StartsWith("12 logs found.\n10 logs returned.\n\n1: date=", page, StringComparison.Ordinal);
        Assert.Contains("action=\"tunnel-down\"", page.Split("\n\n")[1], StringComparison.Ordinal);
        query.StartLine = 11;
        Assert.StartsWith("12 logs found.\n2 logs returned.\n\n11: date=", query.Display(log.Records()), StringComparison.Ordinal);
        query.StartLine = 1;
        query.Fields["action"] = ["tunnel-up"];
        Assert.StartsWith("6 logs found.\n6 logs returned.\n", query.Display(log.Records()), StringComparison.Ordinal);
    }

    [Fact]
    public void Deriver_ReportsRequestsFromUnknownPeers_AndIgnoresNonEventLines()
    {
        var deriver = new VpnEventDeriver();
        var unknown = new IkeDebugLine(Noon, IkeLogLevel.Event, "ike 0: ignoring IKE request from 203.0.113.9:500: no phase1 configured for this peer", null, null, new IPEndPoint(IPAddress.Parse("203.0.113.9"), 500));
        var error = Assert.Single(deriver.Observe(unknown));
        Assert.Equal(VpnEventIds.Phase1Error, error.LogId);
        Assert.Contains(new VpnEventField("remip", "203.0.113.9", Quoted: false), error.Fields);
        Assert.Contains(new VpnEventField("reason", "no phase1 configured for this peer"), error.Fields);

        var packet = new IkeDebugLine(Noon, IkeLogLevel.Packet, "ike 0:p1:1: established IKE SA 1/2 initiator 1.1.1.1:500->2.2.2.2:500 proposal x", "p1", null, null);
        Assert.Empty(deriver.Observe(packet));
        Assert.Empty(deriver.Observe(new IkeDebugLine(Noon, IkeLogLevel.Event, "not an ike line", null, null, null)));
    }

    [Theory]
    [InlineData("ike 0:dialup:2: authentication failed: PSK auth failed: probable pre-shared key mismatch (peer 192.0.2.2:4500, id intruder.lab)", "authentication failed: PSK auth failed: probable pre-shared key mismatch")]
    [InlineData("ike 0:dialup-cert:2: authentication failed: issuer CN=Elsewhere CA is not a trusted CA (peer 192.0.2.2:4500, id intruder.lab)", "authentication failed: issuer CN=Elsewhere CA is not a trusted CA")]
    [InlineData("ike 0:dialup:2: mode-cfg: no address left in pool 10.10.10.1-10.10.10.1 for peer 192.0.2.2:4500 id late.lab: INTERNAL_ADDRESS_FAILURE", "mode-cfg: no address left in pool 10.10.10.1-10.10.10.1")]
    public void Deriver_ReportsDialUpRefusals_WithThePeerNamedInTheLine(string text, string reason)
    {
        var deriver = new VpnEventDeriver();
        var line = new IkeDebugLine(Noon, IkeLogLevel.Event, text, text.Contains("dialup-cert", StringComparison.Ordinal) ? "dialup-cert" : "dialup", null, null);
        var error = Assert.Single(deriver.Observe(line));
        Assert.Equal(VpnEventIds.Phase1Error, error.LogId);
        Assert.Contains(new VpnEventField("remip", "192.0.2.2", Quoted: false), error.Fields);
        Assert.Contains(new VpnEventField("remport", "4500", Quoted: false), error.Fields);
        Assert.Contains(new VpnEventField("status", "negotiate_error"), error.Fields);
        Assert.Contains(new VpnEventField("reason", reason), error.Fields);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static VpnEvent Event(string action, IReadOnlyList<VpnEventField> fields) =>
        new(Noon, VpnEventIds.ConnectionUpDown, "notice", action, "IPsec connection status changed", "IPsec connection status change", "to-branch", fields);
}
