namespace SharpSwan.Config;

/// <summary>
/// Fields of <c>config system global</c>: the few we use (the name, the admin ports, the IKE_SA_INIT flood limits); every other one (FortiOS has hundreds, for other features) is
/// kept verbatim with one warning that SharpSwan does not act on them. <c>admin-address</c>
/// is a SharpSwan extension: the address the web GUI listens on (127.0.0.1 when unset).
/// </summary>
internal static class GlobalSchema
{
    public const string Path = "system global";

    private static readonly string[] KeptFields =
    [
        "admin-concurrent", "admin-console-timeout", "admin-https-redirect", "admin-https-pki-required",
        "admin-lockout-duration", "admin-lockout-threshold", "admin-login-max", "admin-scp", "admin-server-cert",
        "admin-ssh-grace-time", "admin-ssh-password", "admin-ssh-port", "admin-ssh-v1", "admin-telnet",
        "admin-telnet-port", "admintimeout", "alias", "allow-traffic-redirect", "cli-audit-log", "daily-restart",
        "restart-time", "dst", "fds-statistics", "gui-theme", "gui-device-latitude", "gui-device-longitude",
        "ipsec-asic-offload", "ipsec-hmac-offload", "ipsec-soft-dec-async", "language", "ldapconntimeout",
        "management-vdom", "post-login-banner", "pre-login-banner", "private-data-encryption", "refresh",
        "remoteauthtimeout", "strong-crypto", "switch-controller", "sys-perf-log-interval", "tcp-halfclose-timer",
        "tcp-halfopen-timer", "tcp-timewait-timer", "timezone", "udp-idle-timer", "vdom-mode",
    ];

    /// <summary>Kept settings that SharpSwan does act on (the web GUI's listening address), so no warning names them.</summary>
    public static readonly string[] ActedOnKeptFields = ["admin-address"];

    public static FieldTable<GlobalDraft> Fields { get; } = new FieldTable<GlobalDraft> { TablePath = Path, KeepsUnknownFields = true }
        .Interpret("hostname", ReadHostname)
        .Interpret("admin-port", (d, r) => { if (r.Int(1, 65535) is { } v) { d.AdminPort = v; } })
        .Interpret("admin-sport", (d, r) => { if (r.Int(1, 65535) is { } v) { d.AdminSport = v; } })
        .Interpret(IkeInitLimits.CookieThresholdField, (d, r) => { if (r.Int(0, 20000) is { } v) { d.IkeLimits = d.IkeLimits with { CookieThreshold = v }; } })
        .Interpret(IkeInitLimits.EmbryonicLimitField, (d, r) => { if (r.Int(50, 20000) is { } v) { d.IkeLimits = d.IkeLimits with { EmbryonicLimit = v }; } })
        .Interpret(IkeInitLimits.EmbryonicLimitPerSourceField, (d, r) => { if (r.Int(1, 20000) is { } v) { d.IkeLimits = d.IkeLimits with { EmbryonicLimitPerSource = v }; } })
        .Keep(KeptFields, Checks.SingleValue)
        .Keep("admin-address", Checks.Address);

    private static void ReadHostname(GlobalDraft draft, SettingReader reader)
    {
        if (reader.Text(35) is not { } hostname)
        {
            return;
        }

        if (hostname.Length == 0)
        {
            reader.ValueError(reader.Setting.Values[0], "hostname must not be empty");
            return;
        }

        draft.Hostname = hostname;
    }
}
