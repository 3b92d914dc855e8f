using System.Globalization;
using System.Net;
using System.Text;

namespace SharpSwan.Config;

/// <summary>
/// Fields of <c>config log syslogd setting</c>: status, server, mode, port, facility, source-ip and format are used by the
/// syslog forwarder; the other FortiOS fields are kept verbatim. Formats csv and cef, and TLS (enc-algorithm), are refused
/// rather than silently sent some other way.
/// </summary>
internal static class SyslogSchema
{
    public const string Path = "log syslogd setting";

    public const int MaxServerLength = 63;

    public static readonly KeywordMap<SyslogMode> Modes = new(
        (SyslogMode.Udp, "udp"), (SyslogMode.LegacyReliable, "legacy-reliable"), (SyslogMode.Reliable, "reliable"));

    public static readonly KeywordMap<SyslogFacility> Facilities = new(
        [.. Enum.GetValues<SyslogFacility>().Select(f => (f, f.ToString().ToLowerInvariant()))]);

    private static readonly string[] FortiOsFormats = ["default", "csv", "cef", "rfc5424"];

    private static readonly string[] EnableDisable = ["enable", "disable"];

    public static FieldTable<SyslogDraft> Fields { get; } = new FieldTable<SyslogDraft> { TablePath = Path }
        .Interpret("status", ReadStatus)
        .Interpret("server", ReadServer)
        .Interpret("mode", (d, r) => { if (r.Keyword(Modes) is { } v) { d.Settings = d.Settings with { Mode = v }; } })
        .Interpret("port", (d, r) => { if (r.Int(1, 65535) is { } v) { d.Settings = d.Settings with { Port = v }; } })
        .Interpret("facility", (d, r) => { if (r.Keyword(Facilities) is { } v) { d.Settings = d.Settings with { Facility = v }; } })
        .Interpret("source-ip", (d, r) => { if (r.Ipv4Address() is { } v) { d.Settings = d.Settings with { SourceIp = v.Equals(IPAddress.Any) ? null : v }; } })
        .Interpret("format", ReadFormat)
        .Keep("priority", Checks.OnlySupported(["default"], ["default", "low"], "log transmission has no lower priority mode: records are sent as they come"))
        .Keep("max-log-rate", Checks.ZeroOnly(100000, "forwarding to the syslog server is not rate-limited"))
        .Keep("enc-algorithm", Checks.OnlySupported(["disable"], ["high-medium", "high", "low", "disable"], "syslog over TLS"))
        .Keep("ssl-min-proto-version", Checks.OneOf("default", "SSLv3", "TLSv1", "TLSv1-1", "TLSv1-2", "TLSv1-3"))
        .Keep("certificate", Checks.Text(35))
        .Keep("interface-select-method", Checks.OnlySupported(["auto"], ["auto", "sdwan", "specify"], "the host's routing table picks the interface; set source-ip to choose the address"))
        .Keep("interface", Checks.EmptyOnly(15, "the host's routing table picks the interface; set source-ip to choose the address"))
        .Keep("use-management-vdom", Checks.OneOf(EnableDisable));

    /// <summary>For the CLI's <c>?</c> help.</summary>
    public static IReadOnlyDictionary<string, FieldHelp> Help { get; } = new Dictionary<string, FieldHelp>(StringComparer.Ordinal)
    {
        ["status"] = new("send the VPN event log to a syslog server", Choices: EnableDisable),
        ["server"] = new("syslog server: IPv4 address or host name", "0-63 characters"),
        ["mode"] = new("transport: udp, TCP with newlines (legacy-reliable), TCP with octet counting (reliable)", Choices: ["udp", "legacy-reliable", "reliable"]),
        ["port"] = new("server port", "1-65535"),
        ["facility"] = new("syslog facility of the records", Choices: [.. Enum.GetValues<SyslogFacility>().Select(f => f.ToString().ToLowerInvariant())]),
        ["source-ip"] = new("local address the records are sent from (0.0.0.0: chosen by routing)", "a.b.c.d"),
        ["format"] = new("record format (SharpSwan: default or rfc5424)", Choices: ["default", "rfc5424"]),
        ["priority"] = new("log priority (kept, not used)", Choices: ["default", "low"], Default: "default"),
        ["max-log-rate"] = new("records per second limit (kept, not used)", "0-100000", Default: "0"),
        ["enc-algorithm"] = new("TLS for reliable mode (SharpSwan: disable)", Choices: ["high-medium", "high", "low", "disable"], Default: "disable"),
        ["ssl-min-proto-version"] = new("minimum TLS version (kept, not used)", Default: "default"),
        ["certificate"] = new("TLS client certificate (kept, not used)", "0-35 characters"),
        ["interface-select-method"] = new("how the outgoing interface is chosen (kept, not used)", Choices: ["auto", "sdwan", "specify"], Default: "auto"),
        ["interface"] = new("outgoing interface (kept, not used)", "0-15 characters"),
        ["use-management-vdom"] = new("send from the management VDOM (kept, not used)", Choices: EnableDisable, Default: "disable"),
    };

    /// <summary>The settings of the document's <c>config log syslogd setting</c>, or the defaults when it has none.</summary>
    public static SyslogSettings Build(RawDocument document, DiagnosticBag diagnostics)
    {
        if (document.Find(SupportedTables.SyslogObject) is not { } table)
        {
            return SyslogSettings.Default;
        }

        var draft = new SyslogDraft();
        var other = Fields.Apply(draft, () => new SyslogDraft(), table.Object, diagnostics);
        var settings = draft.Settings with { OtherSettings = other };
        if (settings.Enabled && string.IsNullOrEmpty(settings.Server))
        {
            // On the config line, as FortiOS checks required attributes when the block ends, not at each set.
            diagnostics.MustBeSet("server", table.ConfigToken, "status enable needs a syslog server to send to");
        }

        return settings;
    }

    /// <summary>The block as <c>show</c> (non-default values; nothing at all when everything is default) or <c>show full-configuration</c> prints it.</summary>
    public static string Write(SyslogSettings settings, bool full)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var d = SyslogSettings.Default;
        if (!full && settings.Equals(d))
        {
            return "";
        }

        var text = new StringBuilder();
        text.Append("config ").Append(Path).Append('\n');
        void Set(string field, string value, bool isDefault)
        {
            if (full || !isDefault)
            {
                text.Append("    set ").Append(field).Append(' ').Append(value).Append('\n');
            }
        }

        Set("status", settings.Enabled ? "enable" : "disable", settings.Enabled == d.Enabled);
        Set("server", ConfigurationWriter.Quote(settings.Server ?? ""), string.IsNullOrEmpty(settings.Server));
        Set("mode", Modes.Format(settings.Mode), settings.Mode == d.Mode);
        Set("port", settings.Port.ToString(CultureInfo.InvariantCulture), settings.Port == d.Port);
        Set("facility", Facilities.Format(settings.Facility), settings.Facility == d.Facility);
        Set("source-ip", (settings.SourceIp ?? IPAddress.Any).ToString(), settings.SourceIp is null);
        Set("format", settings.Format == SyslogFormat.Rfc5424 ? "rfc5424" : "default", settings.Format == d.Format);
        foreach (var setting in settings.OtherSettings.IsDefault ? [] : settings.OtherSettings)
        {
            text.Append("    set ").Append(setting.Name).Append(' ').Append(string.Join(" ", setting.Values.Select(Verbatim))).Append('\n');
        }

        return text.Append("end\n").ToString();
    }

    private static void ReadStatus(SyslogDraft draft, SettingReader reader)
    {
        if (reader.EnableDisable() is { } enabled)
        {
            draft.Settings = draft.Settings with { Enabled = enabled };
        }
    }

    private static void ReadServer(SyslogDraft draft, SettingReader reader)
    {
        if (reader.Text(MaxServerLength) is not { } server)
        {
            return;
        }

        if (server.Length > 0 && !IsAddressOrHostName(server))
        {
            reader.ValueError(reader.Setting.Values[0], $"server {server} is neither an IPv4 address nor a host name");
            return;
        }

        draft.Settings = draft.Settings with { Server = server.Length == 0 ? null : server };
    }

    private static void ReadFormat(SyslogDraft draft, SettingReader reader)
    {
        switch (reader.OneOf(FortiOsFormats))
        {
            case "default":
                draft.Settings = draft.Settings with { Format = SyslogFormat.Default };
                break;
            case "rfc5424":
                draft.Settings = draft.Settings with { Format = SyslogFormat.Rfc5424 };
                break;
            case { } refused:
                reader.ValueError(reader.Setting.Values[0], $"format {refused} is unsupported by SharpSwan (use default or rfc5424)");
                break;
        }
    }

    /// <summary>A dotted-quad IPv4 address, or a DNS name of letters, digits and hyphens (RFC 1123 labels).</summary>
    private static bool IsAddressOrHostName(string server)
    {
        if (server.All(c => char.IsAsciiDigit(c) || c == '.'))
        {
            return server.Split('.') is { Length: 4 } parts && parts.All(p => p.Length is > 0 and <= 3 && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
        }

        return server.TrimEnd('.').Split('.').All(label =>
            label.Length is > 0 and <= 63 && label[0] != '-' && label[^1] != '-' && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
    }

    private static string Verbatim(string value) =>
        value.Length > 0 && value.All(c => !char.IsWhiteSpace(c) && !char.IsControl(c) && c is not ('"' or '\'' or '\\'))
            ? value
            : ConfigurationWriter.Quote(value);
}
