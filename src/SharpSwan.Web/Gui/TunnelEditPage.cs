using System.Globalization;
using System.Text;
using SharpSwan.Config;
using SharpSwan.Config.Editing;
using SharpSwan.Web.Security;

namespace SharpSwan.Web.Gui;

/// <summary>
/// Edit tunnel: phase 1 (network, authentication, proposal) and its phase 2 selectors, each with an Advanced section
/// (encryption/authentication pairs, replay, PFS, ports, protocol, Auto-negotiate, Autokey Keep Alive, key lifetime).
/// </summary>
internal static class TunnelEditPage
{
    private const string DialUpReason =
        "Not available on a dial-up (type dynamic) phase 1: it never initiates, so it cannot auto-negotiate.";

    /// <param name="interfaceAccess">The admin's level on netgrp, which governs the tunnel interface section.</param>
    public static string Render(TunnelForm form, FormErrors errors, string csrfToken, AccessLevel interfaceAccess)
    {
        var p1 = form.Phase1Table;
        var row = form.Name.Length == 0 ? null : form.Name;
        var action = form.IsNew ? "/ipsec/tunnels/new" : $"/ipsec/tunnels/{Html.Path(form.Name)}/edit";
        var body = new StringBuilder();

        body.Append($$"""
            <section class="panel">
              <h2>Network</h2>
              <div class="field">
                <label for="p1-name">Name</label>
                {{(form.IsNew
                    ? $"<input id=\"p1-name\" name=\"name\" maxlength=\"15\" value=\"{Html.Encode(form.Name)}\" required>"
                    : $"<input id=\"p1-name\" value=\"{Html.Encode(form.Name)}\" readonly>")}}
                {{errors.For(p1, row, "name")}}
              </div>
              <div class="field">
                <label for="p1-kind">Tunnel type</label>
                {{ModeField(form)}}
              </div>
              <div class="field">
                <label for="p1-type">Remote Gateway</label>
                <select id="p1-type" name="type">
                  <option value="static"{{Html.Selected(form.Type == "static")}}>Static IP Address</option>
                  <option value="dynamic"{{Html.Selected(form.Type == "dynamic")}}>Dialup User</option>
                </select>
                {{errors.For(p1, row, "type", "remotegw-ddns")}}
              </div>
              <div class="field static-only"{{Html.Hidden(form.IsDialUp)}}>
                <label for="p1-remote-gw">IP Address</label>
                <input id="p1-remote-gw" name="remote-gw" value="{{Html.Encode(form.RemoteGateway)}}" placeholder="198.51.100.2">
                {{errors.For(p1, row, "remote-gw")}}
              </div>
              <div class="field">
                <label for="p1-interface">Interface</label>
                <input id="p1-interface" name="interface" value="{{Html.Encode(form.Interface)}}" placeholder="eth0">
                {{errors.For(p1, row, "interface")}}
              </div>
              <div class="field">
                <label for="p1-comments">Comments</label>
                <input id="p1-comments" name="comments" value="{{Html.Encode(form.Comments)}}">
                {{errors.For(p1, row, "comments")}}
              </div>
            </section>
            {{InterfaceFields(form, errors, row, interfaceAccess)}}
            <section class="panel">
              <h2>Authentication</h2>
              <div class="field">
                <label for="p1-authmethod">Method</label>
                <select id="p1-authmethod" name="authmethod">
                  <option value="psk"{{Html.Selected(form.AuthMethod == "psk")}}>Pre-shared Key</option>
                  <option value="signature"{{Html.Selected(form.AuthMethod == "signature")}}>Signature</option>
                </select>
                {{errors.For(p1, row, "authmethod")}}
              </div>
              <div class="field">
                <label for="p1-psksecret">Pre-shared Key</label>
                <input id="p1-psksecret" name="psksecret" type="password" autocomplete="new-password"{{(form.HasKey ? " placeholder=\"unchanged\"" : "")}}>
                {{errors.For(p1, row, "psksecret")}}
              </div>
              <div class="field">
                <label for="p1-ike-version">IKE Version</label>
                <select id="p1-ike-version" name="ike-version">
                  <option value="2"{{Html.Selected(form.IkeVersion == "2")}}>2</option>
                  <option value="1"{{Html.Selected(form.IkeVersion == "1")}}>1</option>
                </select>
                {{errors.For(p1, row, "ike-version")}}
              </div>
              <div class="field">
                <label for="p1-mode">Mode (IKEv1)</label>
                <select id="p1-mode" name="mode">
                  <option value="main"{{Html.Selected(form.Mode != "aggressive")}}>Main (ID protection)</option>
                  <option value="aggressive"{{Html.Selected(form.Mode == "aggressive")}}>Aggressive</option>
                </select>
                {{errors.For(p1, row, "mode")}}
              </div>
              <div class="field">
                <label for="p1-localid">Local ID</label>
                <input id="p1-localid" name="localid" value="{{Html.Encode(form.LocalId)}}">
                {{errors.For(p1, row, "localid", "localid-type")}}
              </div>
              {{RemoteAccessFields(form, errors, p1, row)}}
            </section>
            <section class="panel">
              <h2>Phase 1 Proposal</h2>
              <div class="field">
                <span class="label">Encryption-Authentication</span>
                <div class="choices">{{Choices("proposal", "p1-proposal", Ordered(form.Proposals, TunnelForm.IkeProposalChoices), form.Proposals)}}</div>
                {{errors.For(p1, row, "proposal")}}
              </div>
              <div class="field">
                <span class="label">Diffie-Hellman Groups</span>
                <div class="choices">{{Choices("dhgrp", "p1-dhgrp", Ordered(form.DhGroups, TunnelForm.DhGroupChoices), form.DhGroups)}}</div>
                {{errors.For(p1, row, "dhgrp")}}
              </div>
              <div class="field">
                <label for="p1-keylife">Key Lifetime (seconds)</label>
                <input id="p1-keylife" name="keylife" inputmode="numeric" value="{{Html.Encode(form.KeyLife)}}">
                {{errors.For(p1, row, "keylife")}}
              </div>
              <div class="field">
                <label for="p1-dpd">Dead Peer Detection</label>
                <select id="p1-dpd" name="dpd">
                  <option value="disable"{{Html.Selected(form.Dpd == "disable")}}>Disable</option>
                  <option value="on-idle"{{Html.Selected(form.Dpd == "on-idle")}}>On Idle</option>
                  <option value="on-demand"{{Html.Selected(form.Dpd == "on-demand")}}>On Demand</option>
                </select>
                {{errors.For(p1, row, "dpd")}}
              </div>
              <div class="field">
                <label for="p1-dpd-retrycount">DPD retry count</label>
                <input id="p1-dpd-retrycount" name="dpd-retrycount" inputmode="numeric" value="{{Html.Encode(form.DpdRetryCount)}}">
                {{errors.For(p1, row, "dpd-retrycount")}}
              </div>
              <div class="field">
                <label for="p1-dpd-retryinterval">DPD retry interval (seconds)</label>
                <input id="p1-dpd-retryinterval" name="dpd-retryinterval" inputmode="numeric" value="{{Html.Encode(form.DpdRetryInterval)}}">
                {{errors.For(p1, row, "dpd-retryinterval")}}
              </div>
              <div class="field">
                <label for="p1-nattraversal">NAT Traversal</label>
                <select id="p1-nattraversal" name="nattraversal">
                  <option value="enable"{{Html.Selected(form.NatTraversal == "enable")}}>Enable</option>
                  <option value="disable"{{Html.Selected(form.NatTraversal == "disable")}}>Disable</option>
                  <option value="forced"{{Html.Selected(form.NatTraversal == "forced")}}>Forced</option>
                </select>
                {{errors.For(p1, row, "nattraversal")}}
              </div>
              <div class="field">
                <label for="p1-keepalive">Keepalive Frequency (seconds)</label>
                <input id="p1-keepalive" name="keepalive" inputmode="numeric" value="{{Html.Encode(form.NatKeepalive)}}">
                {{errors.For(p1, row, "keepalive")}}
              </div>
            </section>
            <section class="panel">
              <h2>Phase 2 Selectors</h2>
              <div id="selectors">
            """);

        for (var i = 0; i < form.Selectors.Count; i++)
        {
            body.Append(Selector(form.Selectors[i], i.ToString(CultureInfo.InvariantCulture), form.IsDialUp, errors, form.Phase2Table));
        }

        body.Append($$"""
              </div>
              <button type="button" id="add-selector" class="button">Add selector</button>
              <template id="selector-template">{{Selector(new SelectorForm(), "__i__", form.IsDialUp, FormErrors.None, form.Phase2Table)}}</template>
            </section>
            <div class="form-actions">
              <button type="submit" class="primary" id="save">OK</button>
              <a class="button" href="/ipsec/tunnels">Cancel</a>
            </div>
            """);

        var summary = new StringBuilder();
        if (errors.Count > 0)
        {
            summary.Append(CultureInfo.InvariantCulture, $"<div class=\"error-summary\" id=\"error-summary\" role=\"alert\"><p>The tunnel was not saved: {errors.Count} error(s).</p>");
            foreach (var error in errors.NotShown)
            {
                summary.Append(FormErrors.Render(error));
            }

            summary.Append("</div>");
        }

        return $$"""
            <h1>{{(form.IsNew ? "New VPN Tunnel" : "Edit VPN Tunnel")}}{{(form.PolicyBased && !form.IsNew ? " " + Html.PolicyBadge : "")}}</h1>
            <form method="post" action="{{action}}" id="tunnel-form" class="tunnel-form" novalidate>
            <input type="hidden" name="{{AdminAuthenticator.CsrfField}}" value="{{Html.Encode(csrfToken)}}">
            {{(form.Versions is { } versions ? $"<input type=\"hidden\" name=\"{TunnelVersions.FieldName}\" value=\"{Html.Encode(versions)}\">" : "")}}
            {{summary}}
            {{body}}
            </form>
            """;
    }

    /// <summary>
    /// IKEv1 XAUTH (the server's user group on a dial-up phase 1, the client's user name and password on a static one) and
    /// mode-config with the dial-up address pool. Shown as they apply; app.js hides and disables the rest, so only what applies is posted.
    /// </summary>
    private static string RemoteAccessFields(TunnelForm form, FormErrors errors, string p1, string? row)
    {
        var v1 = form.IkeVersion == "1";
        var xauthTypes = new[] { ("disable", "Disable"), ("pap", "PAP Server"), ("chap", "CHAP Server"), ("auto", "Auto Server"), ("client", "Client") };
        return $$"""
            <div class="field v1-only"{{Html.Hidden(!v1)}}>
              <label for="p1-xauthtype">XAUTH (IKEv1)</label>
              <select id="p1-xauthtype" name="xauthtype">
                {{string.Concat(xauthTypes.Select(t => $"<option value=\"{t.Item1}\"{Html.Selected(form.XauthType == t.Item1)}>{t.Item2}</option>"))}}
              </select>
              {{errors.For(p1, row, "xauthtype")}}
            </div>
            <div class="field xauth-server"{{Html.Hidden(!(v1 && form.IsDialUp && form.IsXauthServer))}}>
              <label for="p1-authusrgrp">User Group</label>
              <input id="p1-authusrgrp" name="authusrgrp" value="{{Html.Encode(form.AuthUserGroup)}}">
              {{errors.For(p1, row, "authusrgrp")}}
            </div>
            <div class="field xauth-client"{{Html.Hidden(!(v1 && !form.IsDialUp && form.XauthType == "client"))}}>
              <label for="p1-authusr">XAUTH Username</label>
              <input id="p1-authusr" name="authusr" value="{{Html.Encode(form.AuthUser)}}">
              {{errors.For(p1, row, "authusr")}}
            </div>
            <div class="field xauth-client"{{Html.Hidden(!(v1 && !form.IsDialUp && form.XauthType == "client"))}}>
              <label for="p1-authpasswd">XAUTH Password</label>
              <input id="p1-authpasswd" name="authpasswd" type="password" autocomplete="new-password"{{(form.HasAuthPassword ? " placeholder=\"unchanged\"" : "")}}>
              {{errors.For(p1, row, "authpasswd")}}
            </div>
            <div class="field">
              <label for="p1-mode-cfg">Mode Config</label>
              <select id="p1-mode-cfg" name="mode-cfg">
                <option value="disable"{{Html.Selected(form.ModeCfg != "enable")}}>Disable</option>
                <option value="enable"{{Html.Selected(form.ModeCfg == "enable")}}>Enable</option>
              </select>
              {{errors.For(p1, row, "mode-cfg", "assign-ip")}}
            </div>
            {{PoolField(form, errors, p1, row, "ipv4-start-ip", "Client Address Range Start", form.Ipv4StartIp)}}
            {{PoolField(form, errors, p1, row, "ipv4-end-ip", "Client Address Range End", form.Ipv4EndIp)}}
            {{PoolField(form, errors, p1, row, "ipv4-netmask", "Subnet Mask", form.Ipv4Netmask)}}
            """;
    }

    /// <summary>
    /// The tunnel interface's addresses and MTU (its <c>config system interface</c> entry), for a route-based tunnel only:
    /// a policy-based one has no tunnel interface. A policy-based choice on a new tunnel leaves the section unused.
    /// A profile with read on netgrp sees it read-only and posts nothing of it; without netgrp it is not shown.
    /// </summary>
    private static string InterfaceFields(TunnelForm form, FormErrors errors, string? row, AccessLevel access)
    {
        if ((form.PolicyBased && !form.IsNew) || access == AccessLevel.None)
        {
            return "";
        }

        var path = TunnelInterfaceEdits.Path;
        var readOnly = access != AccessLevel.ReadWrite;

        // Read-only: the inputs are disabled, so the browser posts none of them.
        var disabled = Html.Disabled(readOnly);
        return $$"""
            <section class="panel" id="tunnel-interface">
              <h2>Tunnel Interface</h2>
              {{(readOnly
                  ? "<p class=\"notice\" id=\"tunnel-interface-read-only\">Read-only: your profile gives read access on netgrp, which governs interfaces.</p>"
                  : $"<input type=\"hidden\" name=\"{TunnelForm.InterfaceMarker}\" value=\"shown\">")}}
              {{errors.For(path, row, "name", "type")}}
              <div class="field">
                <label for="if-ip">IP</label>
                <input id="if-ip" name="tunnel-ip" value="{{Html.Encode(form.TunnelIp)}}" placeholder="169.254.1.1 255.255.255.255"{{disabled}}>
                {{errors.For(path, row, "ip")}}
              </div>
              <div class="field">
                <label for="if-remote-ip">Remote IP</label>
                <input id="if-remote-ip" name="tunnel-remote-ip" value="{{Html.Encode(form.TunnelRemoteIp)}}" placeholder="169.254.1.2 255.255.255.252"{{disabled}}>
                {{errors.For(path, row, "remote-ip")}}
              </div>
              <div class="field check">
                <label><input type="checkbox" id="if-mtu-override" name="tunnel-mtu-override" value="enable"{{Html.Checked(form.TunnelMtuOverride)}}{{disabled}}> Override MTU</label>
                {{errors.For(path, row, "mtu-override")}}
              </div>
              <div class="field">
                <label for="if-mtu">MTU</label>
                <input id="if-mtu" name="tunnel-mtu" inputmode="numeric" value="{{Html.Encode(form.TunnelMtu)}}" placeholder="1400"{{disabled}}>
                <span class="implied" id="if-mtu-note">Applied only with Override MTU ticked; otherwise kept in the configuration but not used.</span>
                {{errors.For(path, row, "mtu")}}
              </div>
              <fieldset class="field check" id="if-allowaccess">
                <legend>Administrative Access</legend>
                {{string.Concat(TunnelInterface.HonouredAccess.Select(service =>
                    $"<label><input type=\"checkbox\" name=\"tunnel-allowaccess\" value=\"{service}\"{Html.Checked(form.TunnelAllowAccess.Contains(service))}{disabled}> {service.ToUpperInvariant()}</label>\n"))}}
                <span class="implied" id="if-allowaccess-note">Answered on the tunnel's IP; the others are dropped there. HTTPS and HTTP are this web GUI's ports.</span>
                {{errors.For(path, row, "allowaccess")}}
              </fieldset>
            </section>
            """;
    }

    private static string PoolField(TunnelForm form, FormErrors errors, string p1, string? row, string field, string label, string value) => $$"""
        <div class="field modecfg-pool"{{Html.Hidden(!(form.IsDialUp && form.ModeCfg == "enable"))}}>
          <label for="p1-{{field}}">{{label}}</label>
          <input id="p1-{{field}}" name="{{field}}" value="{{Html.Encode(value)}}">
          {{errors.For(p1, row, field)}}
        </div>
        """;

    /// <summary>
    /// Route-based (phase1-interface: routes into its tunnel interface decide) or policy-based (phase1: firewall policies
    /// with action ipsec decide); chosen when the tunnel is created, as FortiOS keeps the two in separate tables.
    /// </summary>
    private static string ModeField(TunnelForm form) => form.IsNew
        ? $$"""
            <select id="p1-kind" name="tunnel-kind">
              <option value="route"{{Html.Selected(!form.PolicyBased)}}>Route-based (tunnel interface)</option>
              <option value="policy"{{Html.Selected(form.PolicyBased)}}>Policy-based (firewall policies)</option>
            </select>
            """
        : $"<input id=\"p1-kind\" value=\"{(form.PolicyBased ? "Policy-based (config vpn ipsec phase1)" : "Route-based (config vpn ipsec phase1-interface)")}\" readonly>";

    private static string Selector(SelectorForm s, string i, bool dialUp, FormErrors errors, string p2)
    {
        var row = s.Name.Length == 0 ? s.OriginalName : s.Name;
        string Id(string field) => $"p2-{i}-{field}";
        string Name(string field) => $"p2[{i}].{field}";
        string Errors(params string[] fields) => errors.For(p2, row, fields);
        var implied = s.AutoNegotiate && !dialUp;
        var advancedOpen = errors.Any(
            p2, row, "proposal", "replay", "pfs", "dhgrp", "src-port", "dst-port", "protocol", "auto-negotiate", "keepalive", "keylife-type", "keylifeseconds", "keylifekbs");
        var pairs = new StringBuilder();
        foreach (var (encryption, authentication) in s.Pairs.Append(("", "")))
        {
            pairs.Append($$"""
                <div class="pair">
                  <select name="{{Name("enc")}}" class="enc" aria-label="Encryption">
                    <option value=""{{Html.Selected(encryption.Length == 0)}}>-</option>
                    {{string.Concat(TunnelForm.EncryptionChoices.Select(c => $"<option value=\"{c}\"{Html.Selected(c == encryption)}>{c.ToUpperInvariant()}</option>"))}}
                  </select>
                  <select name="{{Name("auth")}}" class="auth" aria-label="Authentication"{{Html.Hidden(TunnelForm.AeadCiphers.Contains(encryption))}}>
                    {{string.Concat(TunnelForm.AuthenticationChoices.Select(c => $"<option value=\"{c}\"{Html.Selected(c == authentication || (authentication.Length == 0 && c == "sha256"))}>{c.ToUpperInvariant()}</option>"))}}
                  </select>
                </div>
                """);
        }

        return $$"""
            <fieldset class="selector" data-index="{{i}}">
              <legend>Phase 2 Selector <span class="selector-name">{{Html.Encode(s.Name)}}</span></legend>
              <input type="hidden" name="{{Name("original")}}" value="{{Html.Encode(s.OriginalName)}}">
              <div class="field">
                <label for="{{Id("name")}}">Name</label>
                <input id="{{Id("name")}}" name="{{Name("name")}}" maxlength="35" value="{{Html.Encode(s.Name)}}">
                {{Errors("name", "phase1name")}}
              </div>
              <div class="field">
                <label for="{{Id("local")}}">Local Address</label>
                <input id="{{Id("local")}}" name="{{Name("local")}}" value="{{Html.Encode(s.Local)}}" placeholder="10.1.0.0/24">
                {{Errors("src-addr-type", "src-subnet", "src-start-ip", "src-end-ip")}}
              </div>
              <div class="field">
                <label for="{{Id("remote")}}">Remote Address</label>
                <input id="{{Id("remote")}}" name="{{Name("remote")}}" value="{{Html.Encode(s.Remote)}}" placeholder="10.2.0.0/24">
                {{Errors("dst-addr-type", "dst-subnet", "dst-start-ip", "dst-end-ip")}}
              </div>
              <details class="advanced" id="{{Id("advanced")}}"{{(advancedOpen ? " open" : "")}}>
                <summary>Advanced</summary>
                <div class="field">
                  <span class="label">Encryption / Authentication</span>
                  <div class="pairs">{{pairs}}<button type="button" class="add-pair button">Add</button></div>
                  {{Errors("proposal")}}
                </div>
                <div class="field check">
                  <label><input type="checkbox" id="{{Id("replay")}}" name="{{Name("replay")}}" value="enable"{{Html.Checked(s.Replay)}}> Enable Replay Detection</label>
                  {{Errors("replay")}}
                </div>
                <div class="field check">
                  <label><input type="checkbox" id="{{Id("pfs")}}" name="{{Name("pfs")}}" value="enable" class="pfs"{{Html.Checked(s.Pfs)}}> Enable Perfect Forward Secrecy (PFS)</label>
                  <div class="choices dh-groups"><span class="label">Diffie-Hellman Groups</span>{{Choices(Name("dhgrp"), Id("dhgrp"), Ordered(s.DhGroups, TunnelForm.DhGroupChoices), s.DhGroups)}}</div>
                  {{Errors("pfs", "dhgrp")}}
                </div>
                {{PortField(Id("src-port"), Name("src-port"), "Local Port", s.AllLocalPorts, s.LocalPort, Errors("src-port"))}}
                {{PortField(Id("dst-port"), Name("dst-port"), "Remote Port", s.AllRemotePorts, s.RemotePort, Errors("dst-port"))}}
                {{PortField(Id("protocol"), Name("protocol"), "Protocol", s.AllProtocols, s.Protocol, Errors("protocol"))}}
                <div class="field check">
                  <label><input type="checkbox" id="{{Id("auto-negotiate")}}" name="{{Name("auto-negotiate")}}" value="enable" class="auto-negotiate"{{Html.Checked(s.AutoNegotiate && !dialUp)}}{{Html.Disabled(dialUp)}}> Auto-negotiate</label>
                  <p class="dialup-reason" id="{{Id("auto-negotiate-reason")}}"{{Html.Hidden(!dialUp)}}>{{DialUpReason}}</p>
                  {{Errors("auto-negotiate")}}
                </div>
                <div class="field check">
                  <label><input type="checkbox" id="{{Id("keepalive")}}" name="{{Name("keepalive")}}" value="enable" class="keepalive" data-chosen="{{(s.Keepalive ? "true" : "false")}}"{{Html.Checked(s.Keepalive || implied)}}{{Html.Disabled(implied)}}> Autokey Keep Alive</label>
                  <span class="implied" id="{{Id("keepalive-implied")}}"{{Html.Hidden(!implied)}}>Implied by Auto-negotiate</span>
                  {{Errors("keepalive")}}
                </div>
                <div class="field">
                  <label for="{{Id("keylife-type")}}">Key Lifetime</label>
                  <select id="{{Id("keylife-type")}}" name="{{Name("keylife-type")}}" class="keylife-type">
                    <option value="seconds"{{Html.Selected(s.KeyLifeType == "seconds")}}>Seconds</option>
                    <option value="kbs"{{Html.Selected(s.KeyLifeType == "kbs")}}>Kilobytes</option>
                    <option value="both"{{Html.Selected(s.KeyLifeType == "both")}}>Both</option>
                  </select>
                  {{Errors("keylife-type")}}
                </div>
                <div class="field keylife-seconds"{{Html.Hidden(s.KeyLifeType == "kbs")}}>
                  <label for="{{Id("keylifeseconds")}}">Seconds</label>
                  <input id="{{Id("keylifeseconds")}}" name="{{Name("keylifeseconds")}}" inputmode="numeric" value="{{Html.Encode(s.KeyLifeSeconds)}}">
                  {{Errors("keylifeseconds")}}
                </div>
                <div class="field keylife-kbs"{{Html.Hidden(s.KeyLifeType == "seconds")}}>
                  <label for="{{Id("keylifekbs")}}">Kilobytes</label>
                  <input id="{{Id("keylifekbs")}}" name="{{Name("keylifekbs")}}" inputmode="numeric" value="{{Html.Encode(s.KeyLifeKbs)}}">
                  {{Errors("keylifekbs")}}
                </div>
              </details>
              {{(s.OriginalName.Length == 0 ? "" : $"<label class=\"delete\"><input type=\"checkbox\" id=\"{Id("delete")}\" name=\"{Name("delete")}\" value=\"enable\"> Delete this selector</label>")}}
            </fieldset>
            """;
    }

    private static string PortField(string id, string name, string label, bool all, string value, string errors) => $$"""
        <div class="field port">
          <span class="label">{{label}}</span>
          <label><input type="checkbox" id="{{id}}-all" name="{{name}}-all" value="enable" class="all"{{Html.Checked(all)}}> All</label>
          <input id="{{id}}" name="{{name}}" inputmode="numeric" value="{{Html.Encode(all ? "0" : value)}}" aria-label="{{label}}"{{Html.Hidden(all)}}>
          {{errors}}
        </div>
        """;

    private static string Choices(string name, string idPrefix, IEnumerable<string> options, IReadOnlyCollection<string> chosen) =>
        string.Concat(options.Select(option =>
            $"<label class=\"choice\"><input type=\"checkbox\" id=\"{Html.Encode($"{idPrefix}-{option}")}\" name=\"{Html.Encode(name)}\" value=\"{Html.Encode(option)}\"{Html.Checked(chosen.Contains(option))}> {Html.Encode(option)}</label>"));

    /// <summary>The chosen values first, in their configured order (order is preference), then the other choices.</summary>
    private static IEnumerable<string> Ordered(IEnumerable<string> chosen, IEnumerable<string> all) =>
        chosen.Concat(all).Distinct(StringComparer.Ordinal);
}
