using System.Collections.Immutable;
using System.Net;

namespace SharpSwan.Config;

/// <summary>
/// The <c>router static</c> checks that need more than one field or more than one table: where a route goes
/// (device, gateway or blackhole), its <c>dstaddr</c> resolved to CIDR blocks, and routes the kernel could not hold
/// as FortiOS means them (warned).
/// </summary>
internal static class StaticRouteChecks
{
    /// <summary>A route needs a device or a gateway, a blackhole route neither.</summary>
    public static void CheckNextHop(StaticRoute route, RawEntry entry, DiagnosticBag diagnostics)
    {
        var hasGateway = !route.Gateway.Equals(IPAddress.Any);
        if (route.Blackhole)
        {
            // A full dump prints the empty device and the 0.0.0.0 gateway of a blackhole route: those are fine.
            foreach (var (field, set) in (ReadOnlySpan<(string, bool)>)[("device", route.Device.Length > 0), ("gateway", hasGateway)])
            {
                if (set && entry.Find(field) is { Values: [var token, ..] })
                {
                    diagnostics.CrossFieldError(field, token, $"static route {route.Id} has blackhole enable, which drops the traffic: it takes no {field} (unset it, or set blackhole disable)");
                }
            }

            return;
        }

        if (route.Device.Length == 0 && !hasGateway && entry.Find("device") is null && entry.Find("gateway") is null)
        {
            diagnostics.MustBeSet("device", entry.NameToken, $"static route {route.Id} needs a device (a tunnel or interface name), a gateway reachable on a local interface, or blackhole enable");
        }
    }

    /// <summary>Fills each route's <c>dstaddr</c> blocks, then refuses routes the kernel would not keep apart.</summary>
    public static GatewayConfiguration Resolve(GatewayConfiguration configuration, IReadOnlyList<RawEntry> entries, DiagnosticBag diagnostics)
    {
        if (configuration.StaticRoutes.Length != entries.Count)
        {
            return configuration;
        }

        var routes = configuration.StaticRoutes
            .Select((route, index) => route.DestinationAddress is null ? route : route with { DestinationAddressBlocks = Blocks(configuration, route, entries[index], diagnostics) })
            .ToList();
        CheckEqualRoutes(routes, entries, diagnostics);
        return configuration with { StaticRoutes = [.. routes] };
    }

    private static ImmutableArray<AddressSelector> Blocks(GatewayConfiguration configuration, StaticRoute route, RawEntry entry, DiagnosticBag diagnostics)
    {
        var name = route.DestinationAddress!;
        var token = entry.Find("dstaddr")!.Values[0];
        if (entry.Find("dst") is { Values: [var dst, ..] } && route.PrefixLength != 0)
        {
            diagnostics.CrossFieldError("dst", dst, $"static route {route.Id} sets both dst and dstaddr: FortiOS routes to the address object and ignores dst; unset dst");
            return [];
        }

        var address = configuration.FirewallAddresses.FirstOrDefault(a => a.Name == name);
        var group = configuration.FirewallAddressGroups.FirstOrDefault(g => g.Name == name);
        var settings = address?.OtherSettings ?? group?.OtherSettings;
        if (settings is not { } kept)
        {
            diagnostics.EntryNotFound("dstaddr", token, $"static route {route.Id}: \"{name}\" is not a config firewall address or addrgrp entry");
            return [];
        }

        if (!kept.Any(s => s.Name == "allow-routing" && s.Values is ["enable"]))
        {
            diagnostics.EntryNotFound("dstaddr", token, $"static route {route.Id}: \"{name}\" does not have allow-routing enable, which FortiOS requires of an address a route names; set it on the address");
            return [];
        }

        return [.. configuration.ResolveAddress(name).SelectMany(r => r.Blocks()).Distinct()];
    }

    /// <summary>
    /// Two enabled routes to one destination with equal distance and priority are ECMP on FortiOS (traffic shared
    /// between them). The kernel holds one route per destination and metric, so only one of them is installed: the
    /// configuration still loads (two equal default routes are common in backups), with a warning saying so.
    /// </summary>
    private static void CheckEqualRoutes(List<StaticRoute> routes, IReadOnlyList<RawEntry> entries, DiagnosticBag diagnostics)
    {
        var seen = new Dictionary<(AddressSelector Block, int Distance, long Priority), StaticRoute>();
        for (var i = 0; i < routes.Count; i++)
        {
            var route = routes[i];
            if (!route.Enabled)
            {
                continue;
            }

            foreach (var block in route.DestinationBlocks)
            {
                if (seen.TryGetValue((block, route.Distance, route.Priority), out var first))
                {
                    diagnostics.Warn(
                        entries[i].NameToken.Line,
                        WarningKind.KeptSettings,
                        StaticRouteSchema.Path,
                        $"static routes {first.Id} and {route.Id} both reach {block.Start}/{block.PrefixLength} with distance {route.Distance} and priority {route.Priority}: FortiOS shares traffic between such routes (ECMP), SharpSwan installs only one of them (the kernel holds one route per destination and metric); give one a higher distance or priority to make it the backup");
                    break;
                }

                seen[(block, route.Distance, route.Priority)] = route;
            }
        }
    }
}
