namespace SharpSwan.Simulation.Tests.Support;

/// <summary>One side of a site-to-site tunnel, rendered as FortiOS CLI text. Values are the CLI spellings; null leaves the FortiOS default.</summary>
internal sealed record TunnelConfig
{
    public const string Phase1 = "vpn";
    public const string Phase2 = "vpn-p2";

    public string Phase1Name { get; init; } = Phase1;

    public string Phase2Name { get; init; } = Phase2;

    /// <summary>"static" (default) or "dynamic" (dial-up server).</summary>
    public string Type { get; init; } = "static";

    /// <summary>1 or 2 (default; the FortiOS default is 1).</summary>
    public int IkeVersion { get; init; } = 2;

    public string RemoteGateway { get; init; } = "192.0.2.2";

    public string Proposals { get; init; } = "aes256gcm-prfsha384";

    public string DhGroups { get; init; } = "20";

    public string Psk { get; init; } = "simulation-only-psk";

    public string NatTraversal { get; init; } = "enable";

    public string Phase2Proposals { get; init; } = "aes256gcm";

    public bool Pfs { get; init; } = true;

    public string Phase2DhGroups { get; init; } = "20";

    public string Source { get; init; } = "10.1.0.0 255.255.255.0";

    public string Destination { get; init; } = "10.2.0.0 255.255.255.0";

    public bool AutoNegotiate { get; init; }

    /// <summary>
    /// Phase 1 <c>auto-negotiate</c>. Rendered disable unless set: these scenarios are written for an IKE SA that a phase 2
    /// (auto-negotiate, traffic) or the peer starts; the FortiOS default (enable) has its own scenarios.
    /// </summary>
    public bool Phase1AutoNegotiate { get; init; }

    /// <summary>Phase 1 <c>esn</c> (disable, allow, require); null leaves the FortiOS default (disable).</summary>
    public string? Esn { get; init; }

    /// <summary>Phase 2 keepalive; null leaves the FortiOS default (disable).</summary>
    public bool? Keepalive { get; init; }

    /// <summary>Phase 2 keylifeseconds; null leaves the FortiOS default (43200).</summary>
    public int? Phase2KeyLifeSeconds { get; init; }

    /// <summary>seconds, kbs or both.</summary>
    public string? KeyLifeType { get; init; }

    public long? KeyLifeKbs { get; init; }

    public int? TriggerQueue { get; init; }

    /// <summary>Phase 1 keylife (seconds).</summary>
    public int? Phase1KeyLife { get; init; }

    /// <summary>IKEv1 phase 1 mode: main or aggressive; null leaves the default (main).</summary>
    public string? Mode { get; init; }

    /// <summary>Phase 1 localid and peerid (peertype one when set); null leaves them unset.</summary>
    public string? LocalId { get; init; }

    public string? PeerId { get; init; }

    /// <summary>disable, on-idle or on-demand.</summary>
    public string? Dpd { get; init; }

    public int? DpdRetryInterval { get; init; }

    public int? DpdRetryCount { get; init; }

    public int? NegotiateTimeout { get; init; }

    /// <summary>Minutes; sets idle-timeout enable.</summary>
    public int? IdleTimeoutMinutes { get; init; }

    /// <summary>Further phase 2 entries on the same phase 1 (rendered after the first, with its settings plus their own extra lines).</summary>
    public IReadOnlyList<(string Name, string Source, string Destination)> ExtraPhase2 { get; init; } = [];

    /// <summary>Extra `set` lines per phase 2 name (e.g. a setting only one of several phase 2s has).</summary>
    public IReadOnlyDictionary<string, string> Phase2Overrides { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Policy-based: <c>config vpn ipsec phase1</c>/<c>phase2</c>, the two subnets as firewall addresses, and one ipsec
    /// policy from the LAN (<see cref="SimulatedGateway.LanInterface"/>) to port1 that sends them through the tunnel.
    /// </summary>
    public bool PolicyMode { get; init; }

    /// <summary>Policy mode: the policy's <c>inbound</c> (the peer's LAN may start connections; default enable here).</summary>
    public bool PolicyInbound { get; init; } = true;

    /// <summary>Policy mode: the policy's <c>schedule</c>, and the schedule tables written before the policy.</summary>
    public string PolicySchedule { get; init; } = "always";

    /// <summary>Policy mode: <c>config firewall schedule ...</c> text defining <see cref="PolicySchedule"/>.</summary>
    public string ScheduleTables { get; init; } = string.Empty;

    /// <summary>Policy mode: the policy's <c>outbound</c> (FortiOS default enable).</summary>
    public bool PolicyOutbound { get; init; } = true;

    /// <summary>The A side of the usual pair: 192.0.2.1 with LAN 10.1.0.0/24, talking to B.</summary>
    public static TunnelConfig SiteA { get; } = new();

    /// <summary>The B side: 192.0.2.2 with LAN 10.2.0.0/24.</summary>
    public static TunnelConfig SiteB { get; } = new()
    {
        RemoteGateway = "192.0.2.1",
        Source = "10.2.0.0 255.255.255.0",
        Destination = "10.1.0.0 255.255.255.0",
    };

    public TunnelConfig WithSuite(string ike, string dh, string esp) =>
        this with { Proposals = ike, DhGroups = dh, Phase2Proposals = esp, Phase2DhGroups = dh };

    /// <summary>Phase 2 with the given lifetime and no PFS, so that long runs stay cheap (no DH per rekey).</summary>
    public TunnelConfig Cheap(int? keyLifeSeconds = null) =>
        this with { Pfs = false, Phase2KeyLifeSeconds = keyLifeSeconds ?? Phase2KeyLifeSeconds, Proposals = "aes128gcm-prfsha256", DhGroups = "19", Phase2Proposals = "aes128gcm" };

    /// <summary>IKEv1 main mode with PSK as implemented: AES-CBC suites, MODP-2048, PFS, no IKEv1 DPD (refused in configuration).</summary>
    public TunnelConfig Ikev1() =>
        this with { IkeVersion = 1, Proposals = "aes128-sha256", DhGroups = "14", Phase2Proposals = "aes128-sha256", Phase2DhGroups = "14", Dpd = "disable" };

    public string Render() => RenderPhase1() + RenderPhase2() + RenderPolicy();

    public string RenderPhase1() => $$"""
        config vpn ipsec {{(PolicyMode ? "phase1" : "phase1-interface")}}
            edit "{{Phase1Name}}"
                set type {{Type}}
                set interface "port1"
                set ike-version {{IkeVersion}}
                {{(Type == "dynamic" ? string.Empty : $"set remote-gw {RemoteGateway}")}}
                set proposal {{Proposals}}
                set dhgrp {{DhGroups}}
                set psksecret "{{Psk}}"
                set nattraversal {{NatTraversal}}
                set auto-negotiate {{(Phase1AutoNegotiate ? "enable" : "disable")}}
                {{Line("keylife", Phase1KeyLife)}}
                {{Line("esn", Esn)}}
                {{Line("mode", Mode)}}
                {{Line("localid", LocalId is null ? null : $"\"{LocalId}\"")}}
                {{(PeerId is null ? string.Empty : $"set peertype one\n        set peerid \"{PeerId}\"")}}
                {{Line("dpd", Dpd)}}
                {{Line("dpd-retryinterval", DpdRetryInterval)}}
                {{Line("dpd-retrycount", DpdRetryCount)}}
                {{Line("negotiate-timeout", NegotiateTimeout)}}
                {{(IdleTimeoutMinutes is { } idle ? $"set idle-timeout enable\n        set idle-timeoutinterval {idle}" : string.Empty)}}
            next
        end

        """;

    public string RenderPhase2()
    {
        var entries = new List<(string Name, string Source, string Destination)> { (Phase2Name, Source, Destination) };
        entries.AddRange(ExtraPhase2);
        var text = new System.Text.StringBuilder(PolicyMode ? "config vpn ipsec phase2\n" : "config vpn ipsec phase2-interface\n");
        foreach (var (name, source, destination) in entries)
        {
            text.Append($$"""
                    edit "{{name}}"
                        set phase1name "{{Phase1Name}}"
                        set proposal {{Phase2Proposals}}
                        set pfs {{(Pfs ? "enable" : "disable")}}
                        {{(Pfs ? $"set dhgrp {Phase2DhGroups}" : string.Empty)}}
                        set src-subnet {{source}}
                        set dst-subnet {{destination}}
                        set auto-negotiate {{(AutoNegotiate ? "enable" : "disable")}}
                        {{(Keepalive is { } keepalive ? $"set keepalive {(keepalive ? "enable" : "disable")}" : string.Empty)}}
                        {{Line("keylife-type", KeyLifeType)}}
                        {{Line("keylifeseconds", Phase2KeyLifeSeconds)}}
                        {{Line("keylifekbs", KeyLifeKbs)}}
                        {{Line("trigger-queue", TriggerQueue)}}
                        {{Phase2Overrides.GetValueOrDefault(name, string.Empty)}}
                    next

                """);
        }

        text.Append("end\n");
        return text.ToString();
    }

    /// <summary>Policy mode: the firewall addresses and the ipsec policy; empty for route-based.</summary>
    public string RenderPolicy() => !PolicyMode ? string.Empty : ScheduleTables + $$"""
        config firewall address
            edit "local-net"
                set subnet {{Source}}
            next
            edit "remote-net"
                set subnet {{Destination}}
            next
        end
        config firewall policy
            edit 1
                set srcintf "{{SimulatedGateway.LanInterface}}"
                set dstintf "port1"
                set srcaddr "local-net"
                set dstaddr "remote-net"
                set action ipsec
                set schedule "{{PolicySchedule}}"
                set service "ALL"
                set inbound {{(PolicyInbound ? "enable" : "disable")}}
                set outbound {{(PolicyOutbound ? "enable" : "disable")}}
                set vpntunnel "{{Phase1Name}}"
            next
        end

        """;

    private static string Line(string name, object? value) => value is null ? string.Empty : $"set {name} {value}";
}
