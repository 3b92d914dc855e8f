using System.Net;
using SharpSwan.Config;

namespace SharpSwan.Gateway.Hosting;

/// <summary>
/// Which kernel routes a configuration's <c>config router static</c> asks for, and what to delete and add to get there.
/// The distance is the metric so that two routes to one destination through different tunnels (FortiOS's usual
/// failover) both stay in the kernel and the lower distance carries traffic, as on FortiOS; without a metric the
/// second would replace the first.
/// </summary>
internal static class StaticRoutePlan
{
    public static IReadOnlyList<KernelRoute> Of(GatewayConfiguration configuration) =>
        configuration.StaticRoutes
            .Where(r => r.Enabled)
            .Select(r => new KernelRoute(r.Destination, r.PrefixLength, r.Device, r.Gateway.Equals(IPAddress.Any) ? null : r.Gateway, r.Distance))
            .ToList();

    /// <summary>Deletes first (a changed distance or next hop is a delete and an add), then adds.</summary>
    public static (IReadOnlyList<KernelRoute> Delete, IReadOnlyList<KernelRoute> Add) Diff(IReadOnlyCollection<KernelRoute> installed, IReadOnlyList<KernelRoute> wanted) =>
        (installed.Where(r => !wanted.Contains(r)).ToList(), wanted.Where(r => !installed.Contains(r)).ToList());
}
