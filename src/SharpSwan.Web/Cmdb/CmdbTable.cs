namespace SharpSwan.Web.Cmdb;

/// <summary>A configuration table the REST API serves: its URL (<c>/api/v2/cmdb/&lt;ApiPath&gt;/&lt;ApiName&gt;</c>) and CLI path.</summary>
/// <param name="ApiPath">e.g. <c>vpn.ipsec</c>.</param>
/// <param name="ApiName">e.g. <c>phase1-interface</c>.</param>
/// <param name="ConfigPath">e.g. <c>vpn ipsec phase1-interface</c>.</param>
/// <param name="KeyField">The JSON field naming a row: <c>name</c>, or <c>seq-num</c> for routes.</param>
internal sealed record CmdbTable(string ApiPath, string ApiName, string ConfigPath, string KeyField)
{
    public static readonly CmdbTable Phase1Interface = new("vpn.ipsec", "phase1-interface", "vpn ipsec phase1-interface", "name");

    public static readonly CmdbTable Phase2Interface = new("vpn.ipsec", "phase2-interface", "vpn ipsec phase2-interface", "name");

    public static readonly CmdbTable StaticRoute = new("router", "static", "router static", "seq-num");

    public static readonly IReadOnlyList<CmdbTable> All = [Phase1Interface, Phase2Interface, StaticRoute];

    public bool Numbered => KeyField == "seq-num";

    public static CmdbTable? Find(string apiPath, string apiName) =>
        All.FirstOrDefault(t => t.ApiPath == apiPath && t.ApiName == apiName);
}
