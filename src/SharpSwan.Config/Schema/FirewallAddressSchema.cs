namespace SharpSwan.Config;

/// <summary>
/// Fields of <c>config firewall address</c>: <c>type ipmask</c> (the default, <c>subnet</c>) and <c>type iprange</c>
/// (<c>start-ip</c>/<c>end-ip</c>). Other types are refused with a reason.
/// </summary>
internal static class FirewallAddressSchema
{
    public const string Path = "firewall address";

    private static readonly string[] FortiOsTypes =
        ["ipmask", "iprange", "fqdn", "geography", "wildcard", "dynamic", "interface-subnet", "mac", "route-tag"];

    public static FieldTable<FirewallAddressDraft> Fields { get; } = new FieldTable<FirewallAddressDraft> { TablePath = Path }
        .Interpret("subnet", (d, r) => { if (r.Subnet() is { } v) { d.Subnet = v; } })
        .Interpret("type", (d, r) =>
        {
            if (r.OneOf(FortiOsTypes) is { } type)
            {
                if (type is "ipmask" or "iprange")
                {
                    d.Type = type;
                }
                else
                {
                    r.ValueError(r.Setting.Values[0], $"type {type} is unsupported by SharpSwan ({TypeReason(type)})");
                }
            }
        })
        .Interpret("start-ip", (d, r) => { if (r.Ipv4Address() is { } v) { d.StartIp = v; } })
        .Interpret("end-ip", (d, r) => { if (r.Ipv4Address() is { } v) { d.EndIp = v; } })
        .Keep("comment", Checks.Text(255))
        .Keep("color", Checks.Range(0, 32))
        .Keep("uuid", Checks.Text(36))
        .Keep("associated-interface", Checks.EmptyOnly(35, "an address is not tied to an interface; policies name their interfaces"))
        .Keep(["fabric-object", "visibility"], Checks.EnableDisable)
        .Keep("allow-routing", Checks.EnableDisable) // checked by a router static dstaddr naming it (StaticRouteChecks)
        .Refuse(
            ["fqdn", "country", "wildcard", "wildcard-fqdn", "macaddr", "interface", "sdn", "route-tag"],
            "only used by FortiOS address types SharpSwan does not support (type ipmask and iprange only)");

    private static string TypeReason(string type) => type == "fqdn"
        ? "an fqdn address needs DNS resolution kept current, which SharpSwan does not do: use type ipmask or iprange"
        : "only type ipmask and iprange are implemented";
}
