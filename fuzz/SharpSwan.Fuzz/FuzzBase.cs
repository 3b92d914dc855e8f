using SharpSwan.Config;

namespace SharpSwan.Fuzz;

/// <summary>The running configuration the CLI and REST targets edit: one route-based PSK tunnel and its route.</summary>
internal static class FuzzBase
{
    public const string Text = """
        config vpn ipsec phase1-interface
            edit "to-branch"
                set interface "eth0"
                set ike-version 2
                set remote-gw 198.51.100.2
                set proposal aes128-sha256
                set dhgrp 14
                set psksecret "a-long-enough-secret"
            next
        end
        config vpn ipsec phase2-interface
            edit "to-branch-p2"
                set phase1name "to-branch"
                set proposal aes128-sha256
                set src-subnet 10.1.0.0 255.255.255.0
                set dst-subnet 10.2.0.0 255.255.255.0
            next
        end
        config router static
            edit 1
                set dst 10.2.0.0 255.255.255.0
                set device "to-branch"
            next
        end
        """;

    public static readonly GatewayConfiguration Configuration =
        ConfigurationLoader.Parse(Text, "base.conf").Configuration ?? throw new InvalidOperationException("the fuzz base configuration does not parse");
}
