using System.Globalization;
using System.Text;
using SharpSwan.Config;
using SharpSwan.Web.Monitoring;

namespace SharpSwan.Web.Gui;

/// <summary>
/// Firewall Policies: the policies in matching order (top-down, as <c>move</c> left them; ids never change) with their hit
/// counts, then the implicit deny (policy 0), as <c>diagnose firewall policy list</c> shows them.
/// </summary>
internal static class PoliciesPage
{
    /// <param name="hits">Hit counts by policy id (0: the implicit deny); a missing id shows 0.</param>
    public static string Render(GatewayConfiguration configuration, IReadOnlyDictionary<long, PolicyHitCount> hits)
    {
        if (!configuration.HasPolicyTable)
        {
            return """
                <h1>Firewall Policies</h1>
                <p class="notice" id="no-policies">No firewall policy is configured: all traffic routed into a tunnel interface may use it (SharpSwan's behaviour without <code>config firewall policy</code>).</p>
                """;
        }

        var rows = new StringBuilder();
        var sequence = 0;
        foreach (var policy in configuration.FirewallPolicies)
        {
            sequence++;
            rows.Append(Row(policy, sequence, hits.GetValueOrDefault(policy.Id)));
        }

        var denied = hits.GetValueOrDefault(0);
        rows.Append(CultureInfo.InvariantCulture, $$"""
            <tr data-policy="0" class="implicit">
              <td class="seq">{{sequence + 1}}</td><td class="id">0</td><td>Implicit Deny</td><td>any</td><td>any</td><td>all</td><td>all</td><td>ALL</td>
              <td class="action">DENY</td><td>enabled</td><td class="hits">{{denied.Hits}}</td><td class="bytes">{{Formatting.Bytes(denied.Bytes)}}</td>
            </tr>
            """);
        return $$"""
            <h1>Firewall Policies</h1>
            <p class="muted">Matched top-down; the first enabled policy that matches decides a new connection, and replies follow it. Hit counts are the policies' nftables counters (<code>nft list table ip sharpswan</code>).</p>
            <table class="grid policies" id="policies">
              <thead><tr><th>Seq.</th><th>ID</th><th>Name</th><th>From</th><th>To</th><th>Source</th><th>Destination</th><th>Service</th><th>Action</th><th>Status</th><th>Hit Count</th><th>Bytes</th></tr></thead>
              <tbody>{{rows}}</tbody>
            </table>
            """;
    }

    private static string Row(FirewallPolicy policy, int sequence, PolicyHitCount hits) => string.Create(CultureInfo.InvariantCulture, $$"""
        <tr data-policy="{{policy.Id}}"{{(policy.Enabled ? "" : " class=\"disabled\"")}}>
          <td class="seq">{{sequence}}</td>
          <td class="id">{{policy.Id}}</td>
          <td class="name">{{Html.Encode(policy.Name)}}</td>
          <td>{{Names(policy.SourceInterfaces)}}</td>
          <td>{{Names(policy.DestinationInterfaces)}}</td>
          <td>{{Names(policy.SourceAddresses)}}</td>
          <td>{{Names(policy.DestinationAddresses)}}</td>
          <td>{{Names(policy.Services)}}</td>
          <td class="action">{{Action(policy)}}</td>
          <td class="status">{{(policy.Enabled ? "enabled" : "disabled")}}</td>
          <td class="hits">{{hits.Hits}}</td>
          <td class="bytes">{{Formatting.Bytes(hits.Bytes)}}</td>
        </tr>
        """);

    private static string Action(FirewallPolicy policy) => policy.Action switch
    {
        PolicyAction.Accept => "ACCEPT",
        PolicyAction.Ipsec => $"IPsec: {Html.Encode(policy.VpnTunnel)} <span class=\"muted\">(inbound {Flag(policy.Inbound)}, outbound {Flag(policy.Outbound)})</span>",
        _ => "DENY",
    };

    private static string Flag(bool on) => on ? "enable" : "disable";

    private static string Names(IEnumerable<string> names) => Html.Encode(string.Join(", ", names));
}
