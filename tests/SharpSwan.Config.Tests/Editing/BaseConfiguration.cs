namespace SharpSwan.Config.Tests.Editing;

/// <summary>The running configuration the editing and store tests start from (shared with SharpSwan.Cli.Tests).</summary>
internal static class BaseConfiguration
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
            edit "dialup"
                set type dynamic
                set interface "eth0"
                set ike-version 2
                set psksecret "another-secret"
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
}
