namespace SharpSwan.Config;

/// <summary>
/// Fields of <c>config firewall address</c>. SharpSwan uses addresses as the networks a dial-up phase 1 pushes
/// (<c>ipv4-split-include</c>), so only <c>type ipmask</c> (the default) is supported.
/// </summary>
internal static class FirewallAddressSchema
{
    public const string Path = "firewall address";

    private static readonly string[] FortiOsTypes =
        ["ipmask", "iprange", "fqdn", "geography", "wildcard", "dynamic", "interface-subnet", "mac", "route-tag"];

    public static FieldTable<FirewallAddressDraft> Fields { get; } = new FieldTable<FirewallAddressDraft> { TablePath = Path }
        .Interpret("subnet", (d, r) => { if (r.Subnet() is { } v) { d.Subnet = v; } })
        .Interpret("type", (_, r) => Checks.OnlySupported(["ipmask"], FortiOsTypes, "address types other than ipmask")(r))
        .Keep("comment", Checks.Text(255))
        .Keep("color", Checks.Range(0, 32))
        .Keep("uuid", Checks.Text(36))
        .Keep("associated-interface", Checks.Text(35))
        .Keep(["allow-routing", "fabric-object", "visibility"], Checks.EnableDisable)
        .Refuse(
            ["start-ip", "end-ip", "fqdn", "country", "wildcard", "wildcard-fqdn", "macaddr", "interface", "sdn", "route-tag"],
            "only used by FortiOS address types SharpSwan does not support (type ipmask only)");
}
