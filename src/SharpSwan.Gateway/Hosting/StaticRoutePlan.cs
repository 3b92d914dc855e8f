using System.Net;
using SharpSwan.Config;

namespace SharpSwan.Gateway.Hosting;

/// <summary>
/// Which kernel routes a configuration's <c>config router static</c> asks for, and what to delete and add to get there.
/// The distance is the metric so that two routes to one destination through different tunnels (FortiOS's usual
/// failover) both stay in the kernel and the lower distance carries traffic, as on FortiOS; without a metric the
/// second would replace the first. FortiOS's <c>priority</c> orders routes of equal distance: where the routes to one
/// destination differ in priority, their metric is distance × 2^23 + priority, which keeps distance first and priority
/// second (the configuration refuses priorities that do not fit, and equal distance and priority, FortiOS's ECMP).
/// </summary>
internal static class StaticRoutePlan
{
    /// <summary>The weight of distance in a metric that carries priority too.</summary>
    public const int DistanceWeight = 1 << 23;

    public static IReadOnlyList<KernelRoute> Of(GatewayConfiguration configuration)
    {
        var routes = configuration.StaticRoutes
            .Where(r => r.Enabled)
            .SelectMany(r => r.DestinationBlocks.Select(block => (Route: r, Block: block)))
            .ToList();

        // Destinations whose routes differ in priority need it in the metric; elsewhere the metric stays the distance.
        var ranked = routes
            .GroupBy(r => r.Block)
            .Where(g => g.Select(r => r.Route.Priority).Distinct().Skip(1).Any())
            .Select(g => g.Key)
            .ToHashSet();
        return routes.Select(r => Kernel(r.Route, r.Block, ranked.Contains(r.Block))).ToList();
    }

    /// <summary>Deletes first (a changed distance or next hop is a delete and an add), then adds.</summary>
    public static (IReadOnlyList<KernelRoute> Delete, IReadOnlyList<KernelRoute> Add) Diff(IReadOnlyCollection<KernelRoute> installed, IReadOnlyList<KernelRoute> wanted) =>
        (installed.Where(r => !wanted.Contains(r)).ToList(), wanted.Where(r => !installed.Contains(r)).ToList());

    private static KernelRoute Kernel(StaticRoute route, AddressSelector block, bool withPriority)
    {
        var metric = withPriority ? (route.Distance * DistanceWeight) + (int)route.Priority : route.Distance;
        if (route.Blackhole)
        {
            return new KernelRoute(block.Start, block.PrefixLength ?? 0, "", null, metric, Blackhole: true);
        }

        var gateway = route.Gateway.Equals(IPAddress.Any) ? null : route.Gateway;
        return new KernelRoute(block.Start, block.PrefixLength ?? 0, route.Device, gateway, metric);
    }
}
