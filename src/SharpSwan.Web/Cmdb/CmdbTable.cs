using SharpSwan.Config.Editing;

namespace SharpSwan.Web.Cmdb;

/// <summary>A configuration table the REST API serves: its URL (<c>/api/v2/cmdb/&lt;ApiPath&gt;/&lt;ApiName&gt;</c>) and CLI path.</summary>
/// <param name="ApiPath">e.g. <c>vpn.ipsec</c>.</param>
/// <param name="ApiName">e.g. <c>phase1-interface</c>.</param>
/// <param name="ConfigPath">e.g. <c>vpn ipsec phase1-interface</c>.</param>
/// <param name="KeyField">The JSON field naming a row: <c>name</c>, <c>seq-num</c> for routes, <c>policyid</c> for policies.</param>
internal sealed record CmdbTable(string ApiPath, string ApiName, string ConfigPath, string KeyField)
{
    public static readonly CmdbTable Phase1Interface = new("vpn.ipsec", "phase1-interface", "vpn ipsec phase1-interface", "name");

    public static readonly CmdbTable Phase2Interface = new("vpn.ipsec", "phase2-interface", "vpn ipsec phase2-interface", "name");

    public static readonly CmdbTable StaticRoute = new("router", "static", "router static", "seq-num");

    public static readonly CmdbTable Phase1 = new("vpn.ipsec", "phase1", "vpn ipsec phase1", "name");

    public static readonly CmdbTable Phase2 = new("vpn.ipsec", "phase2", "vpn ipsec phase2", "name");

    public static readonly CmdbTable FirewallPolicy = new("firewall", "policy", "firewall policy", "policyid");

    public static readonly CmdbTable FirewallAddress = new("firewall", "address", "firewall address", "name");

    public static readonly CmdbTable FirewallAddressGroup = new("firewall", "addrgrp", "firewall addrgrp", "name");

    /// <summary>
    /// The kept <c>config system interface</c> table: every entry is listed (physical ports too, as FortiOS lists them),
    /// but only a phase1-interface's tunnel entry may be changed (<see cref="TunnelInterfaceEdits"/>).
    /// </summary>
    public static readonly CmdbTable SystemInterface = new("system", "interface", TunnelInterfaceEdits.Path, "name");

    public static readonly IReadOnlyList<CmdbTable> All =
        [Phase1Interface, Phase2Interface, Phase1, Phase2, FirewallPolicy, FirewallAddress, FirewallAddressGroup, StaticRoute, SystemInterface];

    /// <summary>Rows keyed by a number (<c>seq-num</c> of routes, <c>policyid</c> of policies).</summary>
    public bool Numbered => KeyField is "seq-num" or "policyid";

    /// <summary>True for the kept <c>system interface</c> table, whose entries are edited line by line under the tunnel rules.</summary>
    public bool IsTunnelInterfaces => ConfigPath == TunnelInterfaceEdits.Path;

    public static CmdbTable? Find(string apiPath, string apiName) =>
        All.FirstOrDefault(t => t.ApiPath == apiPath && t.ApiName == apiName);
}
