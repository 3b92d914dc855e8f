using System.Globalization;
using System.Text;

namespace SharpSwan.Gateway.Events;

/// <summary>
/// Renders an event as FortiOS prints a log record: `date=2026-11-27 time=04:13:11 eventtime=... tz="+0000"
/// logid="0101037138" type="event" subtype="vpn" level="notice" vd="root" logdesc="..." msg="..." action="tunnel-up" ...`.
/// </summary>
public static class VpnEventFormatter
{
    public static string Format(VpnEvent record, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(record.Time, zone);
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var text = new StringBuilder(384);
        text.Append(CultureInfo.InvariantCulture, $"date={local:yyyy-MM-dd} time={local:HH:mm:ss} ");
        text.Append(CultureInfo.InvariantCulture, $"eventtime={(record.Time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100} ");
        text.Append(CultureInfo.InvariantCulture, $"tz=\"{sign}{Math.Abs(offset.Hours):D2}{Math.Abs(offset.Minutes):D2}\" ");
        text.Append(CultureInfo.InvariantCulture, $"logid=\"{record.LogId}\" type=\"event\" subtype=\"vpn\" level=\"{record.Level}\" vd=\"root\" ");
        text.Append(CultureInfo.InvariantCulture, $"logdesc={Quote(record.Description)} msg={Quote(record.Message)} action={Quote(record.Action)}");
        foreach (var field in record.Fields)
        {
            text.Append(' ').Append(field.Name).Append('=').Append(field.Quoted ? Quote(field.Value) : Bare(field.Value));
        }

        return text.ToString();
    }

    /// <summary>
    /// Reads the `name=value` pairs of a formatted record back (for filtering records loaded from the file). Quoted values
    /// lose their quotes and escapes; malformed text yields whatever pairs precede the damage.
    /// </summary>
    public static Dictionary<string, string> Fields(string line)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && line[i] == ' ')
            {
                i++;
            }

            var equals = line.IndexOf('=', i);
            if (equals <= i)
            {
                break;
            }

            var name = line[i..equals];
            i = equals + 1;
            var value = new StringBuilder();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (i < line.Length && line[i] != '"')
                {
                    if (line[i] == '\\' && i + 1 < line.Length)
                    {
                        i++;
                    }

                    value.Append(line[i++]);
                }

                i++;
            }
            else
            {
                while (i < line.Length && line[i] != ' ')
                {
                    value.Append(line[i++]);
                }
            }

            fields[name] = value.ToString();
        }

        return fields;
    }

    private static string Quote(string value) => $"\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";

    private static string Bare(string value) => value.Length == 0 || value.Contains(' ') || value.Contains('"') ? Quote(value) : value;
}
