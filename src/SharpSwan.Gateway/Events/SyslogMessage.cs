using System.Globalization;
using System.Text;
using SharpSwan.Config;

namespace SharpSwan.Gateway.Events;

/// <summary>
/// Builds the syslog message for one event record: <c>&lt;PRI&gt;</c> and the record as the event log stores it
/// (FortiOS's default format), or with an RFC 5424 header; and frames it for the transport.
/// </summary>
public static class SyslogMessage
{
    /// <summary>What the RFC 5424 APP-NAME field says.</summary>
    public const string AppName = "sharpswan";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>RFC 5424 severity of a FortiOS log level; an unknown level counts as notice (the VPN events' usual level).</summary>
    public static int Severity(string? level) => level switch
    {
        "emergency" => 0,
        "alert" => 1,
        "critical" => 2,
        "error" => 3,
        "warning" => 4,
        "notice" => 5,
        "information" => 6,
        "debug" => 7,
        _ => 5,
    };

    /// <summary>PRI = facility * 8 + severity (RFC 5424 section 6.2.1).</summary>
    public static int Priority(SyslogFacility facility, string? level) => ((int)facility * 8) + Severity(level);

    public static string Format(VpnEventRecord record, SyslogFormat format, SyslogFacility facility, string hostname)
    {
        ArgumentNullException.ThrowIfNull(record);
        var priority = Priority(facility, record.Fields.GetValueOrDefault("level"));
        if (format == SyslogFormat.Default)
        {
            return string.Create(CultureInfo.InvariantCulture, $"<{priority}>{record.Line}");
        }

        return string.Create(CultureInfo.InvariantCulture, $"<{priority}>1 {Timestamp(record)} {HeaderHostname(hostname)} {AppName} - - - {record.Line}");
    }

    /// <summary>
    /// The bytes to send: the message alone (UDP, one datagram each), with octet counting <c>LEN SP MSG</c> (reliable), or
    /// followed by a newline (legacy-reliable).
    /// </summary>
    public static byte[] Frame(string message, SyslogMode mode)
    {
        ArgumentNullException.ThrowIfNull(message);

        // A newline inside a record would split it for a newline-framed receiver; records are one line, keep it so.
        var body = Utf8.GetBytes(mode == SyslogMode.LegacyReliable ? message.Replace('\n', ' ') : message);
        return mode switch
        {
            SyslogMode.Reliable => [.. Utf8.GetBytes(body.Length.ToString(CultureInfo.InvariantCulture) + " "), .. body],
            SyslogMode.LegacyReliable => [.. body, (byte)'\n'],
            _ => body,
        };
    }

    /// <summary>The record's own time (eventtime, nanoseconds since 1970) in RFC 3339 UTC with microseconds.</summary>
    private static string Timestamp(VpnEventRecord record)
    {
        var time = record.Fields.TryGetValue("eventtime", out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var nanoseconds)
            ? DateTimeOffset.UnixEpoch.AddTicks(nanoseconds / 100)
            : DateTimeOffset.UtcNow;
        return time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>RFC 5424 HOSTNAME: printable US-ASCII without spaces, at most 255 characters, "-" when there is none.</summary>
    private static string HeaderHostname(string hostname)
    {
        var cleaned = new string([.. hostname.Where(c => c is > ' ' and < (char)127).Take(255)]);
        return cleaned.Length == 0 ? "-" : cleaned;
    }
}
