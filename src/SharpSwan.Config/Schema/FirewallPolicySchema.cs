namespace SharpSwan.Config;

/// <summary>
/// Fields of <c>config firewall policy</c>. SharpSwan honours the fields that decide which traffic may use a tunnel
/// (interfaces, addresses, services, action, vpntunnel, inbound/outbound, status); the rest is refused or limited to the
/// one value it implements (no NAT).
/// </summary>
internal static class FirewallPolicySchema
{
    public const string Path = "firewall policy";

    public const string AlwaysSchedule = "always";

    public const string AllService = "ALL";

    public static FieldTable<FirewallPolicyDraft> Fields { get; } = new FieldTable<FirewallPolicyDraft> { TablePath = Path }
        .Interpret("name", (d, r) => { if (r.Text(FirewallPolicy.MaxNameLength) is { } v) { d.Policy = d.Policy with { Name = v.Length == 0 ? null : v }; } })
        .Interpret("status", (d, r) => { if (r.EnableDisable() is { } v) { d.Policy = d.Policy with { Enabled = v }; } })
        .Interpret("srcintf", (d, r) => { if (r.Names(35) is { } v) { d.Policy = d.Policy with { SourceInterfaces = v }; } })
        .Interpret("dstintf", (d, r) => { if (r.Names(35) is { } v) { d.Policy = d.Policy with { DestinationInterfaces = v }; } })
        .Interpret("srcaddr", (d, r) => { if (r.Names(FirewallAddress.MaxNameLength) is { } v) { d.Policy = d.Policy with { SourceAddresses = v }; } })
        .Interpret("dstaddr", (d, r) => { if (r.Names(FirewallAddress.MaxNameLength) is { } v) { d.Policy = d.Policy with { DestinationAddresses = v }; } })
        .Interpret("action", (d, r) => { if (r.Keyword(Keywords.PolicyActions) is { } v) { d.Policy = d.Policy with { Action = v }; } })
        .Interpret("vpntunnel", (d, r) => { if (r.Text(Phase1Settings.MaxNameLength) is { } v) { d.Policy = d.Policy with { VpnTunnel = v.Length == 0 ? null : v }; } })
        .Interpret("inbound", (d, r) => { if (r.EnableDisable() is { } v) { d.Policy = d.Policy with { Inbound = v }; } })
        .Interpret("outbound", (d, r) => { if (r.EnableDisable() is { } v) { d.Policy = d.Policy with { Outbound = v }; } })
        .Interpret("schedule", (d, r) => { if (r.Text(35) is { Length: > 0 } v) { d.Policy = d.Policy with { Schedule = v }; } })
        .Interpret("service", (d, r) => { if (r.Names(FirewallService.MaxNameLength) is { } v) { d.Policy = d.Policy with { Services = v }; } })
        .Keep("comments", Checks.Text(1023))
        .Keep("uuid", Checks.Text(36))
        .Keep("nat", Checks.OnlySupported(["disable"], ["enable", "disable"], "source NAT of policy traffic is not implemented"))
        .Keep("natinbound", Checks.OnlySupported(["disable"], ["enable", "disable"], "NAT of decrypted inbound traffic is not implemented"))
        .Keep("natoutbound", Checks.OnlySupported(["disable"], ["enable", "disable"], "NAT of outbound IPsec traffic is not implemented"))
        .Keep(["srcaddr-negate", "dstaddr-negate", "service-negate"], Checks.OnlySupported(["disable"], ["enable", "disable"], "negated matches are not implemented"))
        .Refuse(
            ["natip", "ippool", "poolname", "groups", "users", "srcaddr6", "dstaddr6", "internet-service", "internet-service-src", "utm-status", "logtraffic"],
            "a FortiOS policy setting SharpSwan does not implement (only interfaces, IPv4 addresses, action, vpntunnel, inbound/outbound and status are honoured)");
}
