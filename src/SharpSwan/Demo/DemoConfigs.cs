namespace SharpSwan.Demo;

/// <summary>The built-in pair of configurations the demo runs (documentation addresses and private LANs only).</summary>
internal static class DemoConfigs
{
    public const string Psk = "demo-only-pre-shared-key";

    public static string Hq => Side("to-branch", "ssd-hq", "192.0.2.2", "10.1.0.0", "10.2.0.0", autoNegotiate: true);

    public static string Branch => Side("to-hq", "ssd-br", "192.0.2.1", "10.2.0.0", "10.1.0.0", autoNegotiate: false);

    private static string Side(string name, string device, string remote, string localLan, string remoteLan, bool autoNegotiate) => $$"""
        config vpn ipsec phase1-interface
            edit "{{name}}"
                set interface "{{device}}"
                set ike-version 2
                set remote-gw {{remote}}
                set proposal aes256gcm-prfsha384 aes128-sha256
                set dhgrp 20 14
                set psksecret "{{Psk}}"
                set nattraversal enable
            next
        end
        config vpn ipsec phase2-interface
            edit "{{name}}-p2"
                set phase1name "{{name}}"
                set proposal aes256gcm aes128-sha256
                set pfs enable
                set dhgrp 20
                set src-subnet {{localLan}} 255.255.255.0
                set dst-subnet {{remoteLan}} 255.255.255.0
                set auto-negotiate {{(autoNegotiate ? "enable" : "disable")}}
            next
        end
        config router static
            edit 1
                set dst {{remoteLan}} 255.255.255.0
                set device "{{name}}"
            next
        end

        """;
}
