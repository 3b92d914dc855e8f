using System.Globalization;
using System.Text;
using SharpSwan.Web.Monitoring;

namespace SharpSwan.Web.Gui;

/// <summary>
/// IPsec Monitor: per tunnel and per selector status, peer, data in/out, SA lifetime and rekey countdowns, last rekey,
/// Bring Up / Bring Down. The page is rendered here once; app.js then polls the REST monitor and redraws it in place.
/// A dial-up template's row counts its connected peers; each peer's instance row follows it (peer address, identity,
/// mode-cfg address), so rows come and go with the peers.
/// </summary>
internal static class MonitorPage
{
    public static string Render(MonitorSnapshot snapshot, TimeZoneInfo zone) => $$"""
        <h1>IPsec Monitor</h1>
        <p class="live"><span class="dot"></span> Live: updated <span id="updated">{{TimeZoneInfo.ConvertTime(snapshot.CapturedAt, zone):HH:mm:ss}}</span> <span id="action-result" role="status"></span></p>
        <table class="grid monitor" id="monitor" data-source="/api/v2/monitor/vpn/ipsec">
          <thead><tr><th>Name</th><th>Status</th><th>Remote Gateway / Selectors</th><th>Peer</th><th>Incoming Data</th><th>Outgoing Data</th><th>SA Lifetime</th><th>Rekey In</th><th>Last Rekey</th><th>Actions</th></tr></thead>
          <tbody>{{Rows(snapshot, zone)}}</tbody>
        </table>
        """;

    private static string Rows(MonitorSnapshot snapshot, TimeZoneInfo zone)
    {
        if (snapshot.Tunnels.Count == 0)
        {
            return "<tr><td colspan=\"10\" class=\"empty\">No IPsec tunnels.</td></tr>";
        }

        var now = snapshot.CapturedAt;
        var html = new StringBuilder();
        foreach (var tunnel in snapshot.Tunnels)
        {
            var name = Html.Encode(tunnel.Name);
            if (tunnel.IsDialUp && !tunnel.IsDialUpInstance)
            {
                // A dial-up template holds no SA: its row counts its peers, whose instance rows follow it.
                html.Append($$"""
                    <tr class="tunnel template" data-tunnel="{{name}}">
                      <td><a href="/ipsec/timeline/{{Html.Path(tunnel.Name)}}">{{name}}</a></td>
                      <td><span class="status {{(tunnel.InstanceCount > 0 ? "up" : "down")}}">{{PeerCount(tunnel.InstanceCount)}}</span></td>
                      <td>Dialup User</td>
                      <td>-</td>
                      <td class="bytes-in">{{Formatting.Bytes(tunnel.IncomingBytes)}}</td>
                      <td class="bytes-out">{{Formatting.Bytes(tunnel.OutgoingBytes)}}</td>
                      <td></td><td></td><td></td>
                      <td class="actions">
                        <button type="button" class="bring-up" data-tunnel="{{name}}" disabled>Bring Up</button>
                        <button type="button" class="bring-down" data-tunnel="{{name}}"{{Html.Disabled(tunnel.InstanceCount == 0)}}>Bring Down</button>
                        <button type="button" class="reset-stats" data-tunnel="{{name}}">Reset Statistics</button>
                      </td>
                    </tr>
                    """);
                continue;
            }

            var instance = tunnel.IsDialUpInstance;
            html.Append($$"""
                <tr class="tunnel{{(instance ? " instance" : "")}}" data-tunnel="{{name}}"{{(instance ? $" data-parent=\"{Html.Encode(tunnel.Parent)}\"" : "")}}>
                  <td{{(instance ? " class=\"instance-name\"" : "")}}><a href="/ipsec/timeline/{{Html.Path(tunnel.Name)}}">{{name}}</a>{{(tunnel.IsPolicyBased ? " " + Html.PolicyBadge : "")}}</td>
                  <td><span class="status {{(tunnel.IsUp ? "up" : "down")}}">{{(tunnel.IsUp ? "Up" : "Down")}}</span> <span class="muted">{{tunnel.SelectorsUp}}/{{tunnel.Selectors.Count}}</span></td>
                  <td class="remote">{{(instance ? Html.Encode(tunnel.Peer ?? "-") : tunnel.IsDialUp ? "Dialup User" : Html.Encode(tunnel.RemoteGateway))}}</td>
                  <td class="peer">{{(instance ? InstancePeer(tunnel) : Html.Encode(tunnel.Peer ?? "-"))}}</td>
                  <td class="bytes-in">{{Formatting.Bytes(tunnel.IncomingBytes)}}</td>
                  <td class="bytes-out">{{Formatting.Bytes(tunnel.OutgoingBytes)}}</td>
                  <td></td><td></td><td></td>
                  <td class="actions">
                    <button type="button" class="bring-up" data-tunnel="{{name}}"{{Html.Disabled(tunnel.IsDialUp)}}>Bring Up</button>
                    <button type="button" class="bring-down" data-tunnel="{{name}}">Bring Down</button>
                    <button type="button" class="reset-stats" data-tunnel="{{name}}">Reset Statistics</button>
                  </td>
                </tr>
                """);
            foreach (var selector in tunnel.Selectors)
            {
                var selectorName = Html.Encode(selector.Name);
                var hard = Remaining(selector.HardExpiry, now);
                var soft = Remaining(selector.SoftExpiry, now);
                html.Append($$"""
                    <tr class="selector" data-tunnel="{{name}}" data-selector="{{selectorName}}">
                      <td class="indent{{(instance ? " instance-selector" : "")}}">{{selectorName}}</td>
                      <td><span class="status {{(selector.IsUp ? "up" : "down")}}">{{(selector.IsUp ? "Up" : "Down")}}</span></td>
                      <td class="muted">{{Html.Encode(selector.Source)}} &#8646; {{Html.Encode(selector.Destination)}}</td>
                      <td class="muted">{{(selector.InboundSpi is { } spi ? $"SPI {spi:x8}" : "")}}</td>
                      <td class="bytes-in">{{Formatting.Bytes(selector.IncomingBytes)}}</td>
                      <td class="bytes-out">{{Formatting.Bytes(selector.OutgoingBytes)}}</td>
                      <td>{{(hard is { } h ? $"<span class=\"countdown lifetime\" data-seconds=\"{h}\">{Formatting.Duration(h)}</span> / {selector.KeyLifeSeconds}s" : "-")}}</td>
                      <td>{{(soft is { } s ? $"<span class=\"countdown rekey\" data-seconds=\"{s}\">{Formatting.Duration(s)}</span>" : "-")}}</td>
                      <td>{{(selector.LastRekeyAt is { } rekey ? TimeZoneInfo.ConvertTime(rekey, zone).ToString("HH:mm:ss", CultureInfo.InvariantCulture) : "-")}}</td>
                      <td class="actions">
                        <button type="button" class="bring-up" data-tunnel="{{name}}" data-selector="{{selectorName}}"{{Html.Disabled(tunnel.IsDialUp)}}>Bring Up</button>
                        <button type="button" class="bring-down" data-tunnel="{{name}}" data-selector="{{selectorName}}">Bring Down</button>
                      </td>
                    </tr>
                    """);
            }
        }

        return html.ToString();
    }

    private static string PeerCount(int peers) => peers == 1 ? "1 peer" : $"{peers} peers";

    /// <summary>An instance's peer: the identity it authenticated with and the address mode-cfg gave it.</summary>
    private static string InstancePeer(TunnelStatus tunnel) =>
        $"<span class=\"peer-id\">{Html.Encode(tunnel.PeerId ?? "-")}</span>" +
        (tunnel.AssignedAddress is { } assigned ? $" <span class=\"assigned-ip muted\">{Html.Encode(assigned)}</span>" : "");

    private static long? Remaining(DateTimeOffset? at, DateTimeOffset now) =>
        at is { } when ? (long)Math.Max(0, Math.Floor((when - now).TotalSeconds)) : null;
}
