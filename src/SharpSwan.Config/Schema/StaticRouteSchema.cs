namespace SharpSwan.Config;

/// <summary>Fields of <c>config router static</c>.</summary>
internal static class StaticRouteSchema
{
    public const string Path = "router static";

    public static FieldTable<StaticRouteDraft> Fields { get; } = new FieldTable<StaticRouteDraft> { TablePath = Path }
        .Interpret("dst", (d, r) => { if (r.Subnet() is { } v) { d.Destination = v; } })
        .Interpret("device", (d, r) => { if (r.Text(35) is { } v) { d.Device = v; } })
        .Interpret("gateway", (d, r) => { if (r.Ipv4Address() is { } v) { d.Gateway = v; } })
        .Interpret("distance", (d, r) => { if (r.Int(1, 255) is { } v) { d.Distance = v; } })
        .Interpret("status", (d, r) => { if (r.EnableDisable() is { } v) { d.Enabled = v; } })
        .Interpret("priority", (d, r) => { if (Priority(r) is { } v) { d.Priority = v; } })
        .Interpret("blackhole", (d, r) => { if (r.EnableDisable() is { } v) { d.Blackhole = v; } })
        .Interpret("dstaddr", (d, r) => { if (r.Text(FirewallAddress.MaxNameLength) is { } v) { d.DestinationAddress = v.Length == 0 ? null : v; } })
        .Keep("comment", Checks.Text(255))
        .Keep("tag", Checks.Range(0, uint.MaxValue))
        // SharpSwan installs one route per destination and prefix (no ECMP), in the main table, with no link monitor or BFD:
        // each of these is accepted at FortiOS's default only, so a value that would change routing is refused.
        .Keep("weight", Checks.ZeroOnly(255, "ECMP weights: routes of equal distance and priority are not balanced, one of them is installed"))
        .Keep("vrf", Checks.ZeroOnly(511, "VRFs: routes go to the main routing table"))
        .Keep("link-monitor-exempt", Checks.OnlySupported(["disable"], ["enable", "disable"], "link monitors, which SharpSwan does not run"))
        .Keep("bfd", Checks.OnlySupported(["disable"], ["enable", "disable"], "BFD, which SharpSwan does not run"))
        .Keep("dynamic-gateway", Checks.OnlySupported(["disable"], ["enable", "disable"], "DHCP/PPPoE dynamic gateways"))
        .Refuse(
            ["sdwan-zone", "virtual-wan-link", "internet-service", "internet-service-custom", "src", "preferred-source"],
            "a FortiOS route setting SharpSwan does not support (SD-WAN, internet-service and source-address routes)");

    /// <summary>FortiOS takes 0-4294967295; above <see cref="StaticRoute.MaxPriority"/> the kernel metric cannot hold it.</summary>
    private static long? Priority(SettingReader reader)
    {
        if (reader.Long(0, uint.MaxValue) is not { } value)
        {
            return null;
        }

        if (value > StaticRoute.MaxPriority)
        {
            reader.ValueError(
                reader.Setting.Values[0],
                $"priority {value} is unsupported by SharpSwan (routes of equal distance are ordered by priority inside the kernel's route metric, distance × 2^23 + priority, so priority is at most {StaticRoute.MaxPriority})");
            return null;
        }

        return value;
    }
}
