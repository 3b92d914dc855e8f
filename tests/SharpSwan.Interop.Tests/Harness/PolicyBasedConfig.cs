using System.Text;

namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// The SharpSwan side of the policy-based tests: the issue's example (firewall addresses, a policy-based phase 1 with
/// auto-negotiate + keepalive phase 2s, one ipsec firewall policy per subnet pair), in A's topology.
/// </summary>
public sealed record PolicyBasedConfig
{
    public const string Phase1 = "to-branch";

    public required string PreSharedKey { get; init; }

    /// <summary>The subnet pairs, one phase 2 and one ipsec policy each (index 0: 10.1.0.0/24 to 10.2.0.0/24).</summary>
    public int SubnetPairs { get; init; } = 1;

    public bool Inbound { get; init; } = true;

    /// <summary>Phase 2 <c>auto-negotiate</c> and <c>keepalive</c> (the issue's example enables both); false: on demand.</summary>
    public bool AutoNegotiate { get; init; } = true;

    /// <summary>Phase 1 <c>dpd on-idle</c> with this <c>dpd-retryinterval</c> (and <c>dpd-retrycount 1</c>); null: the default.</summary>
    public int? DpdOnIdleSeconds { get; init; }

    public static string Phase2Name(int pair) => pair == 0 ? "to-branch-p2" : $"to-branch-p2-{pair}";

    public static string LocalSubnet(int pair) => $"10.1.{pair}.0";

    public static string RemoteSubnet(int pair) => $"10.2.{pair}.0";

    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("config firewall address");
        for (var pair = 0; pair < SubnetPairs; pair++)
        {
            text.AppendLine($"    edit \"hq-lan-{pair}\"\n        set subnet {LocalSubnet(pair)} 255.255.255.0\n    next");
            text.AppendLine($"    edit \"branch-lan-{pair}\"\n        set subnet {RemoteSubnet(pair)} 255.255.255.0\n    next");
        }

        text.AppendLine("end");
        text.AppendLine("config vpn ipsec phase1");
        text.AppendLine($"    edit \"{Phase1}\"");
        text.AppendLine($"        set interface \"{TwoSiteTopology.WanInterface}\"");
        text.AppendLine("        set ike-version 2");
        text.AppendLine($"        set remote-gw {TwoSiteTopology.WanAddressB}");
        text.AppendLine("        set proposal aes256gcm-prfsha384");
        text.AppendLine("        set dhgrp 20");
        text.AppendLine($"        set psksecret \"{PreSharedKey}\"");
        text.AppendLine("        set nattraversal enable");
        // Phase 1 auto-negotiate (FortiOS's default, enable) would bring the first phase 2 up with the IKE SA; on demand
        // means nothing comes up before traffic, so phase 1 follows the phase 2s.
        text.AppendLine($"        set auto-negotiate {(AutoNegotiate ? "enable" : "disable")}");
        if (DpdOnIdleSeconds is { } dpd)
        {
            text.AppendLine($"        set dpd on-idle\n        set dpd-retryinterval {dpd}\n        set dpd-retrycount 1");
        }

        text.AppendLine("    next");
        text.AppendLine("end");
        text.AppendLine("config vpn ipsec phase2");
        for (var pair = 0; pair < SubnetPairs; pair++)
        {
            text.AppendLine($"    edit \"{Phase2Name(pair)}\"");
            text.AppendLine($"        set phase1name \"{Phase1}\"");
            text.AppendLine("        set proposal aes256gcm");
            text.AppendLine("        set dhgrp 20");
            text.AppendLine($"        set src-subnet {LocalSubnet(pair)} 255.255.255.0");
            text.AppendLine($"        set dst-subnet {RemoteSubnet(pair)} 255.255.255.0");
            text.AppendLine($"        set auto-negotiate {(AutoNegotiate ? "enable" : "disable")}");
            text.AppendLine($"        set keepalive {(AutoNegotiate ? "enable" : "disable")}");
            text.AppendLine("    next");
        }

        text.AppendLine("end");
        text.AppendLine("config firewall policy");
        for (var pair = 0; pair < SubnetPairs; pair++)
        {
            text.AppendLine($"    edit {pair + 1}");
            text.AppendLine($"        set name \"hq-to-branch-{pair}\"");
            text.AppendLine("        set srcintf \"lan0\"");
            text.AppendLine($"        set dstintf \"{TwoSiteTopology.WanInterface}\"");
            text.AppendLine($"        set srcaddr \"hq-lan-{pair}\"");
            text.AppendLine($"        set dstaddr \"branch-lan-{pair}\"");
            text.AppendLine("        set action ipsec");
            text.AppendLine("        set schedule \"always\"");
            text.AppendLine("        set service \"ALL\"");
            text.AppendLine($"        set inbound {(Inbound ? "enable" : "disable")}");
            text.AppendLine("        set outbound enable");
            text.AppendLine($"        set vpntunnel \"{Phase1}\"");
            text.AppendLine("    next");
        }

        text.AppendLine("end");
        return text.ToString();
    }
}
