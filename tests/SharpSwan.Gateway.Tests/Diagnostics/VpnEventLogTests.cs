using SharpSwan.Gateway.Events;

namespace SharpSwan.Gateway.Tests.Diagnostics;

public sealed class VpnEventLogTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("sharpswan-events-").FullName;

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
        var path = Path.Combine(_directory, "sharpswan.events.log");
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
        Assert.All(Directory.GetFiles(_directory), f => Assert.True(new FileInfo(f).Length <= 1000, f));
        var onDisk = new[] { path + ".2", path + ".1", path }.Where(File.Exists).SelectMany(File.ReadAllLines).ToList();
        Assert.Equal(Enumerable.Range(0, total).Select(i => $"action-{i}"), onDisk.Select(l => VpnEventFormatter.Fields(l)["action"]));

        var reopened = new VpnEventLog(path, TimeZoneInfo.Utc);
        Assert.Equal(File.ReadAllLines(path), reopened.Records().Select(r => r.Line));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Files_Are0640_NewRotatedAndOneThatWasWorldReadable()
    {
        const UnixFileMode Expected = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        var path = Path.Combine(_directory, "events.log");
        File.WriteAllText(path, string.Empty);
        File.SetUnixFileMode(path, Expected | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
        var lineLength = VpnEventFormatter.Format(Event("action-0", []), TimeZoneInfo.Utc).Length + 1;
        var log = new VpnEventLog(path, TimeZoneInfo.Utc, maxFileBytes: lineLength * 2, rotatedFiles: 2);

        log.Append(Event("action-0", []));
        Assert.Equal(Expected, File.GetUnixFileMode(path));
        for (var i = 1; i < 6; i++)
        {
            log.Append(Event($"action-{i}", []));
        }

        Assert.True(File.Exists(path + ".2"));
        Assert.All([path, path + ".1", path + ".2"], file => Assert.Equal(Expected, File.GetUnixFileMode(file)));
    }

    [Fact]
    public void UnwritableFile_IsReported_AndMemoryStillWorks()
    {
        var log = new VpnEventLog(Path.Combine(_directory, "missing", "events.log"), TimeZoneInfo.Utc);
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

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static VpnEvent Event(string action, IReadOnlyList<VpnEventField> fields) =>
        new(Noon, VpnEventIds.ConnectionUpDown, "notice", action, "IPsec connection status changed", "IPsec connection status change", "to-branch", fields);
}
