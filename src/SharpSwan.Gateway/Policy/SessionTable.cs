using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Policy;

/// <summary>
/// The sessions the firewall policies' rules rely on: the IPv4 connection tracking entries of the gateway's namespace (the
/// ruleset is <c>ip</c>, IPv4 only). Clearing one makes the policies decide its connection again at its next packet.
/// </summary>
public static class SessionTable
{
    /// <summary>`diagnose sys session clear`: every IPv4 session, or those <paramref name="filter"/> matches. Returns how many went (-1: all, uncounted).</summary>
    /// <exception cref="NetlinkException">The kernel refused the request.</exception>
    public static int Clear(SessionFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.IsEmpty)
        {
            ConnectionTracking.FlushIPv4();
            return -1;
        }

        return ConnectionTracking.Delete(ConnectionTracking.ListIPv4().Where(filter.Matches));
    }
}
