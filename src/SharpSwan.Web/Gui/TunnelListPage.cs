using System.Text;
using SharpSwan.Config;
using SharpSwan.Config.Editing;
using SharpSwan.Web.Monitoring;
using SharpSwan.Web.Security;

namespace SharpSwan.Web.Gui;

/// <summary>
/// IPsec Tunnels: every phase 1 with its status, remote gateway, interface, IKE version and selectors; route-based
/// (phase1-interface) and policy-based (phase1, marked as such) alike.
/// </summary>
internal static class TunnelListPage
{
    /// <param name="canEdit">False for a read-only profile: no Create New and no Delete (the server would refuse them).</param>
    /// <param name="warnings">What the tunnel just saved keeps but does not apply.</param>
    public static string Render(GatewayConfiguration configuration, MonitorSnapshot snapshot, string csrfToken, string? notice, bool canEdit = true, IReadOnlyList<EntryWarning>? warnings = null)
    {
        var rows = new StringBuilder();
        foreach (var phase1 in configuration.Phase1)
        {
            var status = snapshot.Tunnels.FirstOrDefault(t => t.Name == phase1.Name);
            var total = configuration.Phase2For(phase1.Name).Count();
            var up = status?.SelectorsUp ?? 0;
            var isUp = status?.IsUp == true;
            var name = Html.Encode(phase1.Name);
            var path = Html.Path(phase1.Name);
            rows.Append($$"""
                <tr data-tunnel="{{name}}">
                  <td><a href="/ipsec/tunnels/{{path}}/edit" class="tunnel-name">{{name}}</a>{{(phase1.IsInterfaceMode ? "" : " " + Html.PolicyBadge)}}</td>
                  <td>{{Html.Encode(phase1.Interface)}}</td>
                  <td>{{(phase1.Type == Phase1Type.Dynamic ? "Dialup User" : Html.Encode(phase1.RemoteGateway.ToString()))}}</td>
                  <td>{{phase1.IkeVersion}}</td>
                  <td><span class="status {{(isUp ? "up" : "down")}}">{{(isUp ? "Up" : "Down")}}</span></td>
                  <td class="selectors">{{up}}/{{total}}</td>
                  <td>{{Html.Encode(phase1.Comments)}}</td>
                  <td class="actions">
                    <a class="button" href="/ipsec/tunnels/{{path}}/edit">Edit</a>
                    <a class="button" href="/ipsec/timeline/{{path}}">Timeline</a>
                    {{(canEdit ? DeleteForm(name, path, csrfToken) : "")}}
                  </td>
                </tr>
                """);
        }

        var empty = rows.Length == 0 ? "<tr><td colspan=\"8\" class=\"empty\">No IPsec tunnels yet.</td></tr>" : "";
        return $$"""
            <h1>IPsec Tunnels</h1>
            {{(notice is null ? "" : $"<p class=\"notice\" id=\"notice\">{Html.Encode(notice)}</p>")}}
            {{Warnings(warnings ?? [])}}
            {{(canEdit ? "<div class=\"toolbar\"><a class=\"button primary\" id=\"create-new\" href=\"/ipsec/tunnels/new\">+ Create New</a></div>" : "<p class=\"notice\" id=\"read-only\">Read-only access: your profile can view tunnels but not change them.</p>")}}
            <table class="grid" id="tunnels">
              <thead><tr><th>Tunnel</th><th>Interface Binding</th><th>Remote Gateway</th><th>IKE Version</th><th>Status</th><th>Selectors (up/total)</th><th>Comments</th><th></th></tr></thead>
              <tbody>{{rows}}{{empty}}</tbody>
            </table>
            """;
    }

    private static string Warnings(IReadOnlyList<EntryWarning> warnings) => warnings.Count == 0 ? "" : $$"""
        <div class="warning-summary" id="save-warnings" role="status">
          <p>Saved, but kept and not applied:</p>
          <ul>{{string.Concat(warnings.Select(w => $"<li data-path=\"{Html.Encode(w.Path)}\" data-field=\"{Html.Encode(w.Field ?? "")}\">config {Html.Encode(w.Path)}, {Html.Encode(w.Entry)}: {Html.Encode(w.Message)}</li>"))}}</ul>
        </div>
        """;

    private static string DeleteForm(string name, string path, string csrfToken) => $$"""
        <form method="post" action="/ipsec/tunnels/{{path}}/delete" class="inline" data-confirm="Delete tunnel {{name}} and its phase 2 selectors?">
          <input type="hidden" name="{{AdminAuthenticator.CsrfField}}" value="{{Html.Encode(csrfToken)}}">
          <button type="submit" class="danger">Delete</button>
        </form>
        """;
}
