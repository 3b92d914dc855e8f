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
        .Keep("comment", Checks.Text(255))
        .Keep(["priority", "tag"], Checks.Range(0, uint.MaxValue))
        .Keep("weight", Checks.Range(0, 255))
        .Keep("vrf", Checks.Range(0, 511))
        .Keep(["link-monitor-exempt", "bfd"], Checks.EnableDisable)
        .Keep("blackhole", Checks.OnlySupported(["disable"], ["enable", "disable"], "blackhole routes"))
        .Keep("dynamic-gateway", Checks.OnlySupported(["disable"], ["enable", "disable"], "DHCP/PPPoE dynamic gateways"))
        .Refuse(
            ["sdwan-zone", "virtual-wan-link", "dstaddr", "internet-service", "internet-service-custom", "src", "preferred-source"],
            "a FortiOS route setting SharpSwan does not support (SD-WAN and address-object routes)");
}
