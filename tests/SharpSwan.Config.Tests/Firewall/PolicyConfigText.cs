namespace SharpSwan.Config.Tests.Firewall;

/// <summary>The policy-based example and helpers to vary it.</summary>
internal static class PolicyConfigText
{
    public const string Addresses = """
        config firewall address
            edit "hq-lan"
                set subnet 10.1.0.0 255.255.255.0
            next
            edit "branch-lan"
                set subnet 10.2.0.0 255.255.255.0
            next
        end
        """;

    public const string PolicyTunnel = """
        config vpn ipsec phase1
            edit "to-branch"
                set interface "eth0"
                set ike-version 2
                set remote-gw 198.51.100.2
                set proposal aes256gcm-prfsha384
                set psksecret "policy-psk-secret"
            next
        end
        config vpn ipsec phase2
            edit "to-branch-p2"
                set phase1name "to-branch"
                set proposal aes256gcm
                set src-subnet 10.1.0.0 255.255.255.0
                set dst-subnet 10.2.0.0 255.255.255.0
                set auto-negotiate enable
                set keepalive enable
            next
        end
        """;

    public const string RouteTunnel = """
        config vpn ipsec phase1-interface
            edit "rb"
                set interface "eth0"
                set ike-version 2
                set remote-gw 198.51.100.3
                set psksecret "route-psk-secret"
            next
        end
        """;

    public const string Policy1 = """
        config firewall policy
            edit 1
                set name "hq-to-branch"
                set srcintf "lan"
                set dstintf "eth0"
                set srcaddr "hq-lan"
                set dstaddr "branch-lan"
                set action ipsec
                set schedule "always"
                set service "ALL"
                set inbound enable
                set outbound enable
                set vpntunnel "to-branch"
            next
        end
        """;

    /// <summary>The whole example.</summary>
    public const string Example = Addresses + "\n" + PolicyTunnel + "\n" + Policy1;

    /// <summary>The example's addresses and tunnels (plus a route-based tunnel "rb") and one policy 7 with these lines.</summary>
    public static string WithPolicy(params string[] lines) =>
        Addresses + "\n" + PolicyTunnel + "\n" + RouteTunnel + "\nconfig firewall policy\n    edit 7\n"
        + string.Concat(lines.Select(l => "        " + l + "\n")) + "    next\nend\n";

    /// <summary>A complete accept policy's lines except those replaced by <paramref name="overrides"/> (same field).</summary>
    public static string[] AcceptLines(params string[] overrides)
    {
        string[] lines =
        [
            "set srcintf \"lan\"", "set dstintf \"rb\"", "set srcaddr \"hq-lan\"", "set dstaddr \"branch-lan\"",
            "set action accept", "set schedule \"always\"", "set service \"ALL\"",
        ];
        static string Field(string line) => line.Split(' ')[1];
        return [.. lines.Where(l => !overrides.Any(o => Field(o) == Field(l))), .. overrides];
    }
}
