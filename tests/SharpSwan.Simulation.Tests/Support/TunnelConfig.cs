namespace SharpSwan.Simulation.Tests.Support;

/// <summary>One side of a site-to-site tunnel, rendered as FortiOS CLI text. Values are the CLI spellings.</summary>
internal sealed record TunnelConfig
{
    public const string Phase1 = "vpn";
    public const string Phase2 = "vpn-p2";

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

    /// <summary>Phase 2 keylifeseconds; null leaves the FortiOS default (43200).</summary>
    public int? Phase2KeyLifeSeconds { get; init; }

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

    public string Render() => $$"""
        config vpn ipsec phase1-interface
            edit "{{Phase1}}"
                set interface "port1"
                set ike-version 2
                set remote-gw {{RemoteGateway}}
                set proposal {{Proposals}}
                set dhgrp {{DhGroups}}
                set psksecret "{{Psk}}"
                set nattraversal {{NatTraversal}}
            next
        end
        config vpn ipsec phase2-interface
            edit "{{Phase2}}"
                set phase1name "{{Phase1}}"
                set proposal {{Phase2Proposals}}
                set pfs {{(Pfs ? "enable" : "disable")}}
                set dhgrp {{Phase2DhGroups}}
                set src-subnet {{Source}}
                set dst-subnet {{Destination}}
                set auto-negotiate {{(AutoNegotiate ? "enable" : "disable")}}
                {{(Phase2KeyLifeSeconds is { } life ? $"set keylifeseconds {life}" : string.Empty)}}
            next
        end

        """;
}
