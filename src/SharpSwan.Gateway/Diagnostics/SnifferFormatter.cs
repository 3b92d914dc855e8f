using System.Globalization;
using System.Text;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// FortiOS's `diagnose sniffer packet` text: the header (`interfaces=[..]`, `filters=[..]`), one line per packet with
/// the interface and direction at levels 4-6, a hex dump from the IP header (2, 5) or the link header (3, 6), and the
/// closing counters.
/// </summary>
public static class SnifferFormatter
{
    public static string Header(SnifferOptions options) =>
        $"Using Original Sniffing Mode\ninterfaces=[{options.Interface}]\nfilters=[{options.Filter ?? "none"}]\n";

    public static string Footer(long received, long dropped) =>
        string.Create(CultureInfo.InvariantCulture, $"\n{received} packets received by filter\n{dropped} packets dropped by kernel\n");

    /// <param name="start">When the capture started: relative timestamps count from it.</param>
    /// <param name="localZone">The zone for `l` (absolute local) timestamps.</param>
    public static string Packet(CapturedFrame frame, SnifferOptions options, DateTimeOffset start, TimeZoneInfo localZone)
    {
        var text = new StringBuilder(128);
        text.Append(Timestamp(frame.Timestamp, options.TimestampFormat, start, localZone)).Append(' ');
        if (options.Verbosity >= 4)
        {
            text.Append(frame.Interface).Append(frame.Direction == SnifferDirection.In ? " in " : " out ");
        }

        text.Append(PacketSummary.DescribeFrame(frame.LinkType, frame.Data)).Append('\n');
        var dumpLinkLayer = options.Verbosity is 3 or 6;
        var dumpNetworkLayer = options.Verbosity is 2 or 5;
        if (dumpLinkLayer || dumpNetworkLayer)
        {
            var offset = dumpLinkLayer ? 0 : Math.Max(0, PacketSummary.NetworkOffset(frame.LinkType, frame.Data, out _));
            HexDump.Append(text, frame.Data.AsSpan(offset));
            text.Append('\n');
        }

        return text.ToString();
    }

    public static string Timestamp(DateTimeOffset timestamp, SnifferTimestampFormat format, DateTimeOffset start, TimeZoneInfo localZone)
    {
        switch (format)
        {
            case SnifferTimestampFormat.AbsoluteUtc:
                return timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
            case SnifferTimestampFormat.AbsoluteLocal:
                return TimeZoneInfo.ConvertTime(timestamp, localZone).ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);
            default:
                var elapsed = timestamp - start;
                if (elapsed < TimeSpan.Zero)
                {
                    elapsed = TimeSpan.Zero;
                }

                var microseconds = elapsed.Ticks / 10;
                return string.Create(CultureInfo.InvariantCulture, $"{microseconds / 1_000_000}.{microseconds % 1_000_000:D6}");
        }
    }
}
