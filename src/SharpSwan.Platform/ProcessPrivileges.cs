using System.Globalization;
using SharpSwan.Platform.Interop;

namespace SharpSwan.Platform;

/// <summary>
/// Who the gateway runs as and what it may do. As root it may do everything; as the package's <c>sharpswan</c> user
/// systemd hands it CAP_NET_ADMIN (TUN devices, rtnetlink, nftables, /proc/sys/net), CAP_NET_RAW (raw ESP sockets,
/// the sniffer) and CAP_NET_BIND_SERVICE (UDP 500, 443 for the GUI) as ambient capabilities.
/// </summary>
public static class ProcessPrivileges
{
    public const int NetBindService = 10;
    public const int NetAdmin = 12;
    public const int NetRaw = 13;

    public static uint EffectiveUserId => LibC.GetEffectiveUserId();

    /// <summary>True when the effective user id is 0.</summary>
    public static bool IsRoot => LibC.GetEffectiveUserId() == 0;

    /// <summary>The capabilities the gateway needs that the process does not have in its effective set (names).</summary>
    public static IReadOnlyList<string> MissingGatewayCapabilities()
    {
        var effective = EffectiveCapabilities();
        var missing = new List<string>();
        foreach (var (bit, name) in new[] { (NetAdmin, "CAP_NET_ADMIN"), (NetRaw, "CAP_NET_RAW"), (NetBindService, "CAP_NET_BIND_SERVICE") })
        {
            if ((effective & (1UL << bit)) == 0)
            {
                missing.Add(name);
            }
        }

        return missing;
    }

    /// <summary>CapEff of /proc/self/status; without /proc, root is taken to have every capability.</summary>
    public static ulong EffectiveCapabilities()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("CapEff:", StringComparison.Ordinal))
                {
                    return ulong.Parse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // Fall through to the user id.
        }

        return IsRoot ? ulong.MaxValue : 0;
    }
}
