using System.Globalization;

namespace SharpSwan.Platform;

/// <summary>
/// A network device's drop counters as the kernel keeps them. For a TUN device, <see cref="Transmit"/> counts the packets the
/// kernel could not queue for the gateway to read (the device's queue toward user space was full: the bound of the outbound
/// path's first queue), <see cref="Receive"/> the packets the gateway wrote that the kernel dropped.
/// </summary>
public readonly record struct LinkDrops(long Receive, long Transmit)
{
    // /proc/<thread>/net/dev: "name: rx_bytes rx_packets rx_errs rx_drop ... (8 receive fields) tx_bytes tx_packets tx_errs tx_drop ...".
    private const int ReceiveDropField = 3;
    private const int TransmitDropField = 11;

    /// <summary>
    /// Reads the counters of the devices named in <paramref name="names"/> from the calling thread's network namespace
    /// (the gateway's own: /proc/thread-self, not the namespace /proc/net was mounted for). Devices not found are left out.
    /// </summary>
    public static Dictionary<string, LinkDrops> Read(IReadOnlySet<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        try
        {
            return Parse(File.ReadAllText("/proc/thread-self/net/dev"), names);
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>The counters of the named devices in the text of /proc/net/dev; malformed lines are skipped.</summary>
    public static Dictionary<string, LinkDrops> Parse(string text, IReadOnlySet<string> names)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(names);
        var found = new Dictionary<string, LinkDrops>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            var fields = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (names.Contains(name) && fields.Length > TransmitDropField &&
                long.TryParse(fields[ReceiveDropField], NumberStyles.None, CultureInfo.InvariantCulture, out var receive) &&
                long.TryParse(fields[TransmitDropField], NumberStyles.None, CultureInfo.InvariantCulture, out var transmit))
            {
                found[name] = new LinkDrops(receive, transmit);
            }
        }

        return found;
    }
}
