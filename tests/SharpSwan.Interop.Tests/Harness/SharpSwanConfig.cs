using System.Globalization;
using System.Text;

namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// The FortiOS configuration of the SharpSwan side: one phase 1, one phase 2 and a static route into the
/// tunnel interface. Defaults are the AES-GCM-256 / ECP-384 set the tests start from.
/// </summary>
public sealed record SharpSwanConfig
{
    public string Phase1Name { get; init; } = "to-branch";

    public string Phase2Name { get; init; } = "to-branch-p2";

    public string Interface { get; init; } = TwoSiteTopology.WanInterface;

    public string RemoteGateway { get; init; } = TwoSiteTopology.WanAddressB;

    public required string PreSharedKey { get; init; }

    /// <summary>Phase 1 <c>ike-version</c>: 2 (default here) or 1 (main mode, PSK).</summary>
    public int IkeVersion { get; init; } = 2;

    public string Phase1Proposal { get; init; } = "aes256gcm-prfsha384";

    public int Phase1DhGroup { get; init; } = 20;

    public string Phase2Proposal { get; init; } = "aes256gcm";

    public int Phase2DhGroup { get; init; } = 20;

    /// <summary>
    /// Phase 1 <c>auto-negotiate</c>. Null renders disable: these scenarios are written for an IKE SA that a phase 2
    /// (auto-negotiate, traffic, the CLI) or strongSwan starts; true asks for the FortiOS default (enable) explicitly.
    /// </summary>
    public bool? Phase1AutoNegotiate { get; init; }

    /// <summary>Phase 1 <c>esn</c> (disable, allow, require); null leaves the FortiOS default (disable).</summary>
    public string? Esn { get; init; }

    /// <summary>Phase 2 <c>auto-negotiate</c>; null leaves the FortiOS default (disable).</summary>
    public bool? Phase2AutoNegotiate { get; init; }

    /// <summary>Phase 2 <c>keylifeseconds</c> (120-172800); null leaves the default (43200).</summary>
    public int? Phase2KeyLifeSeconds { get; init; }

    /// <summary>Phase 2 <c>keepalive</c>; null leaves the FortiOS default (disable).</summary>
    public bool? Phase2Keepalive { get; init; }

    /// <summary>Phase 1 <c>dpd</c> (disable | on-idle | on-demand); null leaves the default.</summary>
    public string? Dpd { get; init; }

    /// <summary>Phase 1 <c>dpd-retryinterval</c> in seconds; null leaves the default.</summary>
    public int? DpdRetryIntervalSeconds { get; init; }

    /// <summary>Phase 1 <c>dpd-retrycount</c>; null leaves the default.</summary>
    public int? DpdRetryCount { get; init; }

    /// <summary>Phase 2 <c>trigger-queue</c> (SharpSwan extension); null leaves the default (0, FortiOS: drop).</summary>
    public int? Phase2TriggerQueue { get; init; }

    /// <summary>Phase 2 <c>protocol</c>, <c>src-port</c> and <c>dst-port</c> selectors; null leaves them at 0 (all).</summary>
    public int? Phase2Protocol { get; init; }

    public int? Phase2SourcePort { get; init; }

    public int? Phase2DestinationPort { get; init; }

    public string LocalSubnet { get; init; } = "10.1.0.0 255.255.255.0";

    public string RemoteSubnet { get; init; } = "10.2.0.0 255.255.255.0";

    /// <summary>Phase 1 <c>mode-cfg enable</c>: ask the dial-up server for an address (a road warrior).</summary>
    public bool Phase1ModeCfg { get; init; }

    /// <summary>Phase 1 <c>keylife</c> (seconds); null keeps the FortiOS default (86400).</summary>
    public int? Phase1KeyLifeSeconds { get; init; }

    /// <summary>Phase 1 <c>mode</c> (IKEv1 main or aggressive); null keeps the default (main).</summary>
    public string? Phase1Mode { get; init; }

    /// <summary>Phase 1 <c>localid</c> (sent in aggressive mode).</summary>
    public string? LocalId { get; init; }

    /// <summary>Phase 1 <c>localid-type</c>; null keeps the default (auto).</summary>
    public string? LocalIdType { get; init; }

    /// <summary>Phase 1 <c>peerid</c> with <c>peertype one</c>.</summary>
    public string? PeerId { get; init; }

    /// <summary>Further configuration text appended as is (other tables, e.g. <c>config log syslogd setting</c>).</summary>
    public string? ExtraConfiguration { get; init; }

    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("config vpn ipsec phase1-interface");
        text.AppendLine($"    edit \"{Phase1Name}\"");
        text.AppendLine($"        set interface \"{Interface}\"");
        text.AppendLine($"        set ike-version {IkeVersion}");
        text.AppendLine($"        set remote-gw {RemoteGateway}");
        text.AppendLine($"        set proposal {Phase1Proposal}");
        text.AppendLine($"        set dhgrp {Phase1DhGroup}");
        text.AppendLine($"        set psksecret \"{PreSharedKey}\"");
        text.AppendLine("        set nattraversal enable");
        text.AppendLine($"        set auto-negotiate {EnableDisable(Phase1AutoNegotiate ?? false)}");

        if (Phase1ModeCfg)
        {
            text.AppendLine("        set mode-cfg enable");
        }

        AppendIfSet(text, "esn", Esn);
        AppendIfSet(text, "keylife", Phase1KeyLifeSeconds?.ToString(CultureInfo.InvariantCulture));
        AppendIfSet(text, "mode", Phase1Mode);
        AppendIfSet(text, "localid", LocalId is null ? null : $"\"{LocalId}\"");
        AppendIfSet(text, "localid-type", LocalIdType);
        AppendIfSet(text, "peertype", PeerId is null ? null : "one");
        AppendIfSet(text, "peerid", PeerId is null ? null : $"\"{PeerId}\"");
        AppendIfSet(text, "dpd", Dpd);
        AppendIfSet(text, "dpd-retryinterval", DpdRetryIntervalSeconds?.ToString(CultureInfo.InvariantCulture));
        AppendIfSet(text, "dpd-retrycount", DpdRetryCount?.ToString(CultureInfo.InvariantCulture));

        text.AppendLine("    next");
        text.AppendLine("end");
        text.AppendLine("config vpn ipsec phase2-interface");
        text.AppendLine($"    edit \"{Phase2Name}\"");
        text.AppendLine($"        set phase1name \"{Phase1Name}\"");
        text.AppendLine($"        set proposal {Phase2Proposal}");
        text.AppendLine("        set pfs enable");
        text.AppendLine($"        set dhgrp {Phase2DhGroup}");
        if (Phase2AutoNegotiate is bool phase2Auto)
        {
            text.AppendLine($"        set auto-negotiate {EnableDisable(phase2Auto)}");
        }

        AppendIfSet(text, "keepalive", Phase2Keepalive is bool keepalive ? EnableDisable(keepalive) : null);
        AppendIfSet(text, "keylifeseconds", Phase2KeyLifeSeconds?.ToString(CultureInfo.InvariantCulture));
        AppendIfSet(text, "trigger-queue", Phase2TriggerQueue?.ToString(CultureInfo.InvariantCulture));
        AppendIfSet(text, "protocol", Phase2Protocol?.ToString(CultureInfo.InvariantCulture));
        AppendIfSet(text, "src-port", Phase2SourcePort?.ToString(CultureInfo.InvariantCulture));
        AppendIfSet(text, "dst-port", Phase2DestinationPort?.ToString(CultureInfo.InvariantCulture));

        text.AppendLine($"        set src-subnet {LocalSubnet}");
        text.AppendLine($"        set dst-subnet {RemoteSubnet}");
        text.AppendLine("    next");
        text.AppendLine("end");
        text.AppendLine("config router static");
        text.AppendLine("    edit 1");
        text.AppendLine($"        set dst {RemoteSubnet}");
        text.AppendLine($"        set device \"{Phase1Name}\"");
        text.AppendLine("    next");
        text.AppendLine("end");
        if (ExtraConfiguration is { } extra)
        {
            text.AppendLine(extra);
        }

        return text.ToString();
    }

    private static string EnableDisable(bool value) => value ? "enable" : "disable";

    private static void AppendIfSet(StringBuilder text, string setting, string? value)
    {
        if (value is not null)
        {
            text.AppendLine($"        set {setting} {value}");
        }
    }
}
