namespace SharpSwan.Config;

/// <summary>Fields of <c>config firewall addrgrp</c>: groups of addresses (and groups) that policies name.</summary>
internal static class FirewallAddressGroupSchema
{
    public const string Path = "firewall addrgrp";

    public static FieldTable<FirewallAddressGroupDraft> Fields { get; } = new FieldTable<FirewallAddressGroupDraft> { TablePath = Path }
        .Interpret("member", (d, r) => { if (r.Names(FirewallAddress.MaxNameLength) is { } v) { d.Members = v; } })
        .Keep("comment", Checks.Text(255))
        .Keep("color", Checks.Range(0, 32))
        .Keep("uuid", Checks.Text(36))
        .Keep("fabric-object", Checks.EnableDisable)
        .Keep("allow-routing", Checks.EnableDisable) // checked by a router static dstaddr naming it (StaticRouteChecks)
        .Keep("exclude", Checks.OnlySupported(["disable"], ["enable", "disable"], "excluded members"))
        .Keep("category", Checks.OnlySupported(["default"], ["default", "ztna-ems-tag", "ztna-geo-tag"], "ZTNA groups"))
        .Refuse(["exclude-member"], "excluded members are not supported (exclude disable only)");
}
