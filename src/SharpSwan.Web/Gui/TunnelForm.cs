using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SharpSwan.Config;
using SharpSwan.Config.Editing;
using SharpSwan.Web.Cmdb;

namespace SharpSwan.Web.Gui;

/// <summary>
/// The Edit tunnel form: a phase1-interface and its phase2-interface selectors, or (policy-based) a phase1 and its phase2
/// selectors. It is read from the running configuration, read back from a POST, and applied as CLI settings, so the parser
/// validates it as it does the file.
/// </summary>
internal sealed partial class TunnelForm
{
    public const string Phase1Path = "vpn ipsec phase1-interface";
    public const string Phase2Path = "vpn ipsec phase2-interface";
    public const string PolicyPhase1Path = "vpn ipsec phase1";
    public const string PolicyPhase2Path = "vpn ipsec phase2";

    public static readonly string[] IkeProposalChoices =
    [
        "aes128-sha256", "aes256-sha256", "aes128-sha1", "aes256-sha1", "aes128-sha384", "aes256-sha384", "aes128-sha512",
        "aes256-sha512", "aes128gcm-prfsha256", "aes256gcm-prfsha384", "chacha20poly1305-prfsha256",
    ];

    public static readonly string[] DhGroupChoices = ["14", "15", "19", "20", "21", "31"];

    public static readonly string[] EncryptionChoices = ["aes128", "aes256", "aes128gcm", "aes256gcm", "chacha20poly1305"];

    public static readonly string[] AuthenticationChoices = ["sha1", "sha256", "sha384", "sha512"];

    public static readonly HashSet<string> AeadCiphers = new(StringComparer.Ordinal) { "aes128gcm", "aes256gcm", "chacha20poly1305" };

    public bool IsNew { get; set; }

    /// <summary>A policy-based tunnel (<c>config vpn ipsec phase1</c>/<c>phase2</c>): chosen when created, fixed after.</summary>
    public bool PolicyBased { get; set; }

    /// <summary>The table of the phase 1 this form edits.</summary>
    public string Phase1Table => PolicyBased ? PolicyPhase1Path : Phase1Path;

    /// <summary>The table of its phase 2 selectors.</summary>
    public string Phase2Table => PolicyBased ? PolicyPhase2Path : Phase2Path;

    public string Name { get; set; } = "";

    /// <summary><c>static</c> (Static IP Address) or <c>dynamic</c> (Dialup User).</summary>
    public string Type { get; set; } = "static";

    public string RemoteGateway { get; set; } = "";

    public string Interface { get; set; } = "";

    public string IkeVersion { get; set; } = "2";

    /// <summary>IKEv1 phase 1 exchange: main (the default, not written) or aggressive.</summary>
    public string Mode { get; set; } = "main";

    public string AuthMethod { get; set; } = "psk";

    /// <summary>Typed in the form; never rendered back. Empty on an existing tunnel keeps the key.</summary>
    public string PresharedKey { get; set; } = "";

    public bool HasKey { get; set; }

    public List<string> Proposals { get; set; } = ["aes128-sha256", "aes256-sha256", "aes128gcm-prfsha256", "aes256gcm-prfsha384", "chacha20poly1305-prfsha256"];

    public List<string> DhGroups { get; set; } = ["14"];

    public string KeyLife { get; set; } = "86400";

    public string LocalId { get; set; } = "";

    public string Dpd { get; set; } = "on-demand";

    public string DpdRetryCount { get; set; } = "3";

    public string DpdRetryInterval { get; set; } = "20";

    public string NatTraversal { get; set; } = "enable";

    public string NatKeepalive { get; set; } = "10";

    public string Comments { get; set; } = "";

    /// <summary>IKEv1 <c>xauthtype</c>: disable (not written), pap/chap/auto (server, dial-up) or client (static).</summary>
    public string XauthType { get; set; } = "disable";

    /// <summary><c>authusrgrp</c>: the user group an XAUTH server accepts.</summary>
    public string AuthUserGroup { get; set; } = "";

    /// <summary><c>authusr</c>: our user name as an XAUTH client.</summary>
    public string AuthUser { get; set; } = "";

    /// <summary>Typed in the form; never rendered back. Empty keeps the stored <c>authpasswd</c>.</summary>
    public string AuthPassword { get; set; } = "";

    public bool HasAuthPassword { get; set; }

    /// <summary><c>mode-cfg</c> on a dial-up phase 1: enable, or disable (not written).</summary>
    public string ModeCfg { get; set; } = "disable";

    public string Ipv4StartIp { get; set; } = "";

    public string Ipv4EndIp { get; set; } = "";

    public string Ipv4Netmask { get; set; } = "";

    public bool IsXauthServer => XauthType is "pap" or "chap" or "auto";

    public List<SelectorForm> Selectors { get; set; } = [];

    /// <summary>
    /// The versions of the tunnel's entries (phase 1 and its phase 2s) when the page was made, sent back with the form so
    /// a save is refused if the CLI or another browser changed them meanwhile; null on a new tunnel or a script's post.
    /// </summary>
    public string? Versions { get; set; }

    public bool IsDialUp => Type == "dynamic";

    public static TunnelForm New() => new() { IsNew = true, Selectors = [new SelectorForm()] };

    /// <summary>The form for an existing phase1-interface or (policy-based) phase1, or null when there is none by that name.</summary>
    public static TunnelForm? From(GatewayConfiguration configuration, string name)
    {
        var document = EditableDocument.FromConfiguration(configuration, fullConfiguration: true);
        var policyBased = document.Find(Phase1Path, name) is null;
        if (document.Find(policyBased ? PolicyPhase1Path : Phase1Path, name) is not { } row)
        {
            return null;
        }

        var form = new TunnelForm
        {
            Name = name,
            PolicyBased = policyBased,
            Versions = TunnelVersions.Encode(TunnelVersions.Of(configuration, name)),
            Type = Word(row, "type", "static"),
            RemoteGateway = Word(row, "remote-gw", ""),
            Interface = Text(row, "interface"),
            IkeVersion = Word(row, "ike-version", "2"),
            Mode = Word(row, "mode", "main"),
            AuthMethod = Word(row, "authmethod", "psk"),
            HasKey = row.Raw("psksecret") is not null,
            Proposals = Words(row, "proposal"),
            DhGroups = Words(row, "dhgrp"),
            KeyLife = Word(row, "keylife", "86400"),
            LocalId = Text(row, "localid"),
            Dpd = Word(row, "dpd", "on-demand"),
            DpdRetryCount = Word(row, "dpd-retrycount", "3"),
            DpdRetryInterval = Word(row, "dpd-retryinterval", "20"),
            NatTraversal = Word(row, "nattraversal", "enable"),
            NatKeepalive = Word(row, "keepalive", "10"),
            Comments = Text(row, "comments"),
            XauthType = Word(row, "xauthtype", "disable"),
            AuthUserGroup = Text(row, "authusrgrp"),
            AuthUser = Text(row, "authusr"),
            HasAuthPassword = row.Raw("authpasswd") is not null,
            ModeCfg = Word(row, "mode-cfg", "disable"),
            Ipv4StartIp = Word(row, "ipv4-start-ip", ""),
            Ipv4EndIp = Word(row, "ipv4-end-ip", ""),
            Ipv4Netmask = Word(row, "ipv4-netmask", ""),
        };
        if (form.RemoteGateway == "0.0.0.0" && form.IsDialUp)
        {
            form.RemoteGateway = "";
        }

        foreach (var selector in document.Entries(form.Phase2Table).Where(r => Text(r, "phase1name") == name))
        {
            form.Selectors.Add(SelectorFrom(selector));
        }

        form.ReadInterface(document);
        return form;
    }

    /// <param name="existingPolicyBased">Whether the existing tunnel is policy-based (a new one says so in the form).</param>
    public static TunnelForm FromPost(IFormCollection post, string? existingName, bool existingPolicyBased = false)
    {
        var form = new TunnelForm
        {
            IsNew = existingName is null,
            PolicyBased = existingName is null ? post["tunnel-kind"].ToString() == "policy" : existingPolicyBased,
            Name = existingName ?? post["name"].ToString().Trim(),
            Type = post["type"].ToString(),
            RemoteGateway = post["remote-gw"].ToString().Trim(),
            Interface = post["interface"].ToString().Trim(),
            IkeVersion = post["ike-version"].ToString(),
            Mode = post["mode"].ToString(),
            AuthMethod = post["authmethod"].ToString(),
            PresharedKey = post["psksecret"].ToString(),
            Proposals = [.. post["proposal"].Select(v => v ?? "")],
            DhGroups = [.. post["dhgrp"].Select(v => v ?? "")],
            KeyLife = post["keylife"].ToString().Trim(),
            LocalId = post["localid"].ToString().Trim(),
            Dpd = post["dpd"].ToString(),
            DpdRetryCount = post["dpd-retrycount"].ToString().Trim(),
            DpdRetryInterval = post["dpd-retryinterval"].ToString().Trim(),
            NatTraversal = post["nattraversal"].ToString(),
            NatKeepalive = post["keepalive"].ToString().Trim(),
            Comments = post["comments"].ToString(),
            XauthType = post["xauthtype"].ToString(),
            AuthUserGroup = post["authusrgrp"].ToString().Trim(),
            AuthUser = post["authusr"].ToString().Trim(),
            AuthPassword = post["authpasswd"].ToString(),
            ModeCfg = post["mode-cfg"].ToString(),
            Ipv4StartIp = post["ipv4-start-ip"].ToString().Trim(),
            Ipv4EndIp = post["ipv4-end-ip"].ToString().Trim(),
            Ipv4Netmask = post["ipv4-netmask"].ToString().Trim(),
            Versions = existingName is not null && post[TunnelVersions.FieldName].ToString() is { Length: > 0 } versions ? versions : null,
        };
        form.ReadInterface(post);
        var indexes = post.Keys
            .Where(k => k.StartsWith("p2[", StringComparison.Ordinal) && k.Contains("].", StringComparison.Ordinal))
            .Select(k => int.TryParse(k[3..k.IndexOf(']', StringComparison.Ordinal)], out var i) ? i : -1)
            .Where(i => i >= 0)
            .Distinct()
            .Order();
        foreach (var i in indexes)
        {
            string Field(string name) => post[$"p2[{i}].{name}"].ToString();
            bool Ticked(string name) => post[$"p2[{i}].{name}"].ToString() == "enable";
            var encryptions = post[$"p2[{i}].enc"];
            var authentications = post[$"p2[{i}].auth"];
            var pairs = new List<(string, string)>();
            for (var p = 0; p < encryptions.Count; p++)
            {
                var encryption = encryptions[p] ?? "";
                if (encryption.Length > 0)
                {
                    pairs.Add((encryption, AeadCiphers.Contains(encryption) ? "" : (p < authentications.Count ? authentications[p] ?? "" : "")));
                }
            }

            form.Selectors.Add(new SelectorForm
            {
                Name = Field("name").Trim(),
                OriginalName = Field("original"),
                Delete = Ticked("delete"),
                Local = Field("local").Trim(),
                Remote = Field("remote").Trim(),
                Pairs = pairs,
                Replay = Ticked("replay"),
                Pfs = Ticked("pfs"),
                DhGroups = [.. post[$"p2[{i}].dhgrp"].Select(v => v ?? "")],
                AllLocalPorts = Ticked("src-port-all"),
                LocalPort = Field("src-port").Trim(),
                AllRemotePorts = Ticked("dst-port-all"),
                RemotePort = Field("dst-port").Trim(),
                AllProtocols = Ticked("protocol-all"),
                Protocol = Field("protocol").Trim(),
                AutoNegotiate = Ticked("auto-negotiate") && form.Type != "dynamic",
                Keepalive = Ticked("keepalive"),
                KeyLifeType = Field("keylife-type"),
                KeyLifeSeconds = Field("keylifeseconds").Trim(),
                KeyLifeKbs = Field("keylifekbs").Trim(),
            });
        }

        return form;
    }

    /// <summary>Writes the form into the configuration; null to go on to validation, or a refusal placed on a field.</summary>
    public EditResult? ApplyTo(EditableDocument document)
    {
        EditableEntry row;
        if (IsNew)
        {
            if (Name.Length == 0)
            {
                return Refuse(Phase1Table, null, "name", "Attribute 'name' MUST be set.", "a new tunnel needs a name", -56);
            }

            if (document.Find(Phase1Path, Name) is not null || document.Find(PolicyPhase1Path, Name) is not null)
            {
                return Refuse(Phase1Table, Name, "name", "A duplicate entry already exists.", $"there is already a tunnel named \"{Name}\"", -5);
            }

            row = document.Add(Phase1Table, Name);
        }
        else
        {
            if (document.Find(Phase1Table, Name) is not { } existing)
            {
                return EditResult.NotFound($"{(PolicyBased ? "phase1" : "phase1-interface")} {Name}");
            }

            row = existing;
        }

        Set(row, "type", Type);
        if (IsDialUp)
        {
            row.Unset("remote-gw");
        }
        else
        {
            Set(row, "remote-gw", RemoteGateway);
        }

        Set(row, "interface", Interface);
        Set(row, "ike-version", IkeVersion);
        Set(row, "mode", Mode == "main" ? string.Empty : Mode);
        Set(row, "authmethod", AuthMethod);
        if (PresharedKey.Length > 0)
        {
            row.SetRaw("psksecret", ConfigurationWriter.Quote(PresharedKey));
        }

        if (Proposals.Count == 0)
        {
            return Refuse(Phase1Table, Name, "proposal", "Attribute 'proposal' MUST be set.", "select at least one phase 1 proposal", -56);
        }

        Set(row, "proposal", string.Join(' ', Proposals));
        if (DhGroups.Count == 0)
        {
            return Refuse(Phase1Table, Name, "dhgrp", "Attribute 'dhgrp' MUST be set.", "select at least one Diffie-Hellman group", -56);
        }

        Set(row, "dhgrp", string.Join(' ', DhGroups));
        Set(row, "keylife", KeyLife);
        Set(row, "localid", LocalId);
        Set(row, "dpd", Dpd);
        Set(row, "dpd-retrycount", DpdRetryCount);
        Set(row, "dpd-retryinterval", DpdRetryInterval);
        Set(row, "nattraversal", NatTraversal);
        Set(row, "keepalive", NatKeepalive);
        Set(row, "comments", Comments);
        ApplyRemoteAccess(row);

        return ApplySelectors(document) ?? ApplyInterface(document);
    }

    /// <summary>
    /// XAUTH and mode-config as posted (the page sends only the fields it shows); the loader refuses combinations that
    /// do not apply. The client password goes with the client role: kept when left empty, dropped with xauthtype client.
    /// </summary>
    private void ApplyRemoteAccess(EditableEntry row)
    {
        Set(row, "xauthtype", XauthType == "disable" ? string.Empty : XauthType);
        Set(row, "authusrgrp", AuthUserGroup);
        Set(row, "authusr", AuthUser);
        if (XauthType != "client")
        {
            row.Unset("authpasswd");
        }
        else if (AuthPassword.Length > 0)
        {
            row.SetRaw("authpasswd", ConfigurationWriter.Quote(AuthPassword));
        }

        Set(row, "mode-cfg", ModeCfg == "disable" ? string.Empty : ModeCfg);
        Set(row, "ipv4-start-ip", Ipv4StartIp);
        Set(row, "ipv4-end-ip", Ipv4EndIp);
        Set(row, "ipv4-netmask", Ipv4Netmask);
    }

    private EditResult? ApplySelectors(EditableDocument document)
    {
        foreach (var selector in Selectors)
        {
            if (selector.Delete || (selector.Name.Length == 0 && selector.OriginalName.Length == 0))
            {
                if (selector.OriginalName.Length > 0)
                {
                    document.Remove(Phase2Table, selector.OriginalName);
                }

                continue;
            }

            if (selector.Name.Length == 0)
            {
                return Refuse(Phase2Table, selector.OriginalName, "name", "Attribute 'name' MUST be set.", "a phase 2 selector needs a name", -56);
            }

            EditableEntry row;
            if (selector.OriginalName.Length > 0 && document.Find(Phase2Table, selector.OriginalName) is { } existing && Text(existing, "phase1name") == Name)
            {
                if (selector.Name != selector.OriginalName && document.Find(Phase2Table, selector.Name) is not null)
                {
                    return Refuse(Phase2Table, selector.Name, "name", "A duplicate entry already exists.", $"there is already a phase 2 named \"{selector.Name}\"", -5);
                }

                document.Rename(Phase2Table, selector.OriginalName, selector.Name);
                row = document.Find(Phase2Table, selector.Name)!;
            }
            else
            {
                if (document.Find(Phase2Table, selector.Name) is not null)
                {
                    return Refuse(Phase2Table, selector.Name, "name", "A duplicate entry already exists.", $"there is already a phase 2 named \"{selector.Name}\"", -5);
                }

                row = document.Add(Phase2Table, selector.Name);
            }

            row.SetRaw("phase1name", ConfigurationWriter.Quote(Name));
            SetAddress(row, "src", selector.Local);
            SetAddress(row, "dst", selector.Remote);
            if (selector.Pairs.Count == 0)
            {
                return Refuse(Phase2Table, selector.Name, "proposal", "Attribute 'proposal' MUST be set.", "select at least one encryption/authentication pair", -56);
            }

            Set(row, "proposal", string.Join(' ', selector.Pairs.Select(p => p.Authentication.Length == 0 ? p.Encryption : $"{p.Encryption}-{p.Authentication}").Distinct()));
            Set(row, "replay", Flag(selector.Replay));
            Set(row, "pfs", Flag(selector.Pfs));
            if (selector.Pfs)
            {
                if (selector.DhGroups.Count == 0)
                {
                    return Refuse(Phase2Table, selector.Name, "dhgrp", "Attribute 'dhgrp' MUST be set.", "PFS needs at least one Diffie-Hellman group", -56);
                }

                Set(row, "dhgrp", string.Join(' ', selector.DhGroups));
            }

            Set(row, "src-port", selector.AllLocalPorts ? "0" : selector.LocalPort);
            Set(row, "dst-port", selector.AllRemotePorts ? "0" : selector.RemotePort);
            Set(row, "protocol", selector.AllProtocols ? "0" : selector.Protocol);
            Set(row, "auto-negotiate", Flag(selector.AutoNegotiate));

            // In the GUI, Keep Alive is implied by Auto-negotiate: a selector that renegotiates by itself is kept alive.
            Set(row, "keepalive", Flag(selector.Keepalive || selector.AutoNegotiate));
            Set(row, "keylife-type", selector.KeyLifeType);
            Set(row, "keylifeseconds", selector.KeyLifeSeconds);
            Set(row, "keylifekbs", selector.KeyLifeKbs);
        }

        return null;
    }

    /// <summary>A subnet (<c>a.b.c.d/nn</c> or <c>a.b.c.d m.m.m.m</c>) or a range (<c>a.b.c.d-e.f.g.h</c>).</summary>
    private static void SetAddress(EditableEntry row, string side, string text)
    {
        var value = text.Length == 0 ? "0.0.0.0/0" : text;
        var dash = value.IndexOf('-', StringComparison.Ordinal);
        if (dash > 0)
        {
            row.SetRaw($"{side}-addr-type", "range");
            Set(row, $"{side}-start-ip", value[..dash].Trim());
            Set(row, $"{side}-end-ip", value[(dash + 1)..].Trim());
            row.Unset($"{side}-subnet");
            return;
        }

        row.SetRaw($"{side}-addr-type", "subnet");
        Set(row, $"{side}-subnet", value);
        row.Unset($"{side}-start-ip");
        row.Unset($"{side}-end-ip");
    }

    private static SelectorForm SelectorFrom(EditableEntry row)
    {
        var selector = new SelectorForm
        {
            Name = row.Name,
            OriginalName = row.Name,
            Local = Address(row, "src"),
            Remote = Address(row, "dst"),
            Pairs = [.. Words(row, "proposal").Select(SplitProposal)],
            Replay = Word(row, "replay", "enable") == "enable",
            Pfs = Word(row, "pfs", "enable") == "enable",
            DhGroups = Words(row, "dhgrp"),
            LocalPort = Word(row, "src-port", "0"),
            RemotePort = Word(row, "dst-port", "0"),
            Protocol = Word(row, "protocol", "0"),
            AutoNegotiate = Word(row, "auto-negotiate", "disable") == "enable",
            Keepalive = Word(row, "keepalive", "disable") == "enable",
            KeyLifeType = Word(row, "keylife-type", "seconds"),
            KeyLifeSeconds = Word(row, "keylifeseconds", "43200"),
            KeyLifeKbs = Word(row, "keylifekbs", "5120"),
        };
        selector.AllLocalPorts = selector.LocalPort == "0";
        selector.AllRemotePorts = selector.RemotePort == "0";
        selector.AllProtocols = selector.Protocol == "0";
        return selector;
    }

    private static (string, string) SplitProposal(string name)
    {
        var dash = name.IndexOf('-', StringComparison.Ordinal);
        return dash < 0 ? (name, "") : (name[..dash], name[(dash + 1)..]);
    }

    /// <summary>A selector side as the form writes it: <c>10.1.0.0/24</c> or <c>10.1.0.1-10.1.0.9</c>.</summary>
    private static string Address(EditableEntry row, string side)
    {
        if (Word(row, $"{side}-addr-type", "subnet") == "range")
        {
            return $"{Word(row, $"{side}-start-ip", "0.0.0.0")}-{Word(row, $"{side}-end-ip", "0.0.0.0")}";
        }

        var parts = Words(row, $"{side}-subnet");
        if (parts is [var address, var mask] && IPAddress.TryParse(mask, out var maskAddress) && Monitoring.SelectorText.Prefix(maskAddress) is { } prefix)
        {
            return $"{address}/{prefix}";
        }

        return string.Join(' ', parts);
    }

    private static EditResult Refuse(string path, string? row, string field, string message, string reason, int code) =>
        new(EditStatus.Invalid, code, $"{message} ({reason})", [new FieldError(path, row, field, message, reason, $"{message}\nCommand fail. Return code {code}", code)]);

    private static string Flag(bool on) => on ? "enable" : "disable";

    /// <summary>Sets a field from form text through the REST value rules (quoted safely); empty text unsets it.</summary>
    private static void Set(EditableEntry row, string field, string value)
    {
        if (value.Length == 0)
        {
            row.Unset(field);
            return;
        }

        if (FortiValues.ToCli(field, JsonValue.Create(value), out _) is { } raw && raw != FortiValues.Keep)
        {
            row.SetRaw(field, raw);
        }
    }

    private static string Text(EditableEntry row, string field) => string.Join(' ', row.Words(field).Select(t => t.Text));

    private static string Word(EditableEntry row, string field, string fallback) => row.Words(field) is [var first, ..] ? first.Text : fallback;

    private static List<string> Words(EditableEntry row, string field) => [.. row.Words(field).Select(t => t.Text)];
}
