using Microsoft.AspNetCore.Http;
using SharpSwan.Config;
using SharpSwan.Web.Cmdb;

namespace SharpSwan.Web.Security;

/// <summary>
/// Which <c>accprofile</c> group governs each part of the GUI and REST API, and the level a request needs: reading
/// (GET, HEAD) needs <c>read</c>, anything else <c>read-write</c>.
/// </summary>
internal static class AccessGroups
{
    public const string Vpn = "vpngrp";
    public const string Firewall = "fwgrp";
    public const string Network = "netgrp";
    public const string System = "sysgrp";

    /// <summary>A profile that allows nothing: what an admin whose profile vanished is held to.</summary>
    public static readonly AccessProfile Nothing = new() { Name = "" };

    /// <summary>
    /// The group of a cmdb table: IPsec to <c>vpngrp</c>, firewall to <c>fwgrp</c>, routes and interfaces to
    /// <c>netgrp</c> (FortiOS puts system interface there, not in <c>sysgrp</c>).
    /// </summary>
    public static string For(CmdbTable table) => table.ApiPath switch
    {
        "vpn.ipsec" => Vpn,
        "firewall" => Firewall,
        "router" => Network,
        _ when table.IsTunnelInterfaces => Network,
        _ => System,
    };

    /// <summary>The group and level a REST request (<c>/api/v2/...</c>, <c>/metrics</c>) needs.</summary>
    public static (string Group, AccessLevel Level) Required(HttpRequest request)
    {
        var level = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) ? AccessLevel.Read : AccessLevel.ReadWrite;
        var segments = (request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var group = segments switch
        {
            ["api", "v2", "cmdb", var path, var name, ..] => CmdbTable.Find(path, name) is { } table ? For(table) : System,
            ["api", "v2", "monitor", "vpn", ..] => Vpn,
            ["api", "v2", "monitor", "firewall", ..] => Firewall,
            _ => System,
        };
        return (group, level);
    }

    /// <summary>The profile <paramref name="name"/> names in <paramref name="configuration"/>, or <see cref="Nothing"/>.</summary>
    public static AccessProfile Resolve(GatewayConfiguration configuration, string name) =>
        configuration.FindAccessProfile(name) ?? Nothing;

    public static string Denied(AccessProfile profile, string group, AccessLevel level) =>
        $"permission denied: access profile \"{profile.Name}\" gives {Describe(profile.Level(group))} on {group}; this needs {Describe(level)}";

    private static string Describe(AccessLevel level) => level switch
    {
        AccessLevel.ReadWrite => "read-write",
        AccessLevel.Read => "read",
        _ => "none",
    };
}
