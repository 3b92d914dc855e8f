using System.Text;
using SharpSwan.Crypto.Certificates;
using SharpSwan.Testing;

namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// The FortiOS configuration of the SharpSwan dial-up hub (the dial-up contract's syntax): the lab CA inline,
/// the hub's certificate and key as files, the hub LAN as a firewall address for split-include, and one or
/// more dynamic phase 1s on wan0 with add-route enable.
/// </summary>
public sealed record DialUpHubConfig
{
    public const string CaName = "lab-ca";
    public const string LocalCertificateName = "hub";
    public const string LanAddressName = "hub-lan";

    public required IReadOnlyList<DialUpPhase1> Phase1s { get; init; }

    /// <summary>The CA the hub trusts; no <c>config vpn certificate ca</c> when null.</summary>
    public IssuedCertificate? Authority { get; init; }

    /// <summary>Absolute paths of the hub's certificate and PKCS#8 key; no local certificate when null.</summary>
    public (string CertificateFile, string KeyFile)? LocalCertificate { get; init; }

    public string LanSubnet { get; init; } = "10.1.0.0 255.255.255.0";

    /// <summary>Local users (<c>config user local</c>), all members of every phase 1's XAUTH group.</summary>
    public IReadOnlyList<(string Name, string Password)> XauthUsers { get; init; } = [];

    public string Render()
    {
        var tables = new CertificateTables();
        if (Authority is not null)
        {
            tables.Ca(CaName, Authority);
        }

        if (LocalCertificate is var (certificateFile, keyFile))
        {
            tables.LocalFiles(LocalCertificateName, certificateFile, keyFile);
        }

        var text = new StringBuilder(tables.Render());

        // Only mode-cfg (split-include) needs the firewall address.
        if (Phase1s.Any(phase1 => phase1.PoolStart is not null))
        {
            text.AppendLine("config firewall address");
            text.AppendLine($"    edit \"{LanAddressName}\"");
            text.AppendLine($"        set subnet {LanSubnet}");
            text.AppendLine("    next");
            text.AppendLine("end");
        }

        RenderUsers(text);
        text.AppendLine("config vpn ipsec phase1-interface");
        foreach (DialUpPhase1 phase1 in Phase1s)
        {
            text.AppendLine($"    edit \"{phase1.Name}\"");
            text.AppendLine("        set type dynamic");
            text.AppendLine($"        set interface \"{DialUpTopology.WanInterface}\"");
            text.AppendLine($"        set ike-version {(phase1.XauthGroup is null ? 2 : 1)}");
            if (phase1.XauthGroup is string group)
            {
                text.AppendLine("        set xauthtype auto");
                text.AppendLine($"        set authusrgrp \"{group}\"");
            }

            if (phase1.Aggressive)
            {
                text.AppendLine("        set mode aggressive");
            }

            text.AppendLine(phase1.PeerId is string peerId ? $"        set peertype one\n        set peerid \"{peerId}\"" : "        set peertype any");
            text.AppendLine($"        set proposal {phase1.Proposal}");
            text.AppendLine($"        set dhgrp {phase1.DhGroup}");
            if (phase1.CertificateName is string certificate)
            {
                text.AppendLine("        set authmethod signature");
                text.AppendLine($"        set certificate \"{certificate}\"");
            }
            else
            {
                text.AppendLine("        set authmethod psk");
                text.AppendLine($"        set psksecret \"{phase1.PreSharedKey}\"");
            }

            text.AppendLine("        set nattraversal enable");
            if (phase1.PoolStart is string start)
            {
                text.AppendLine("        set mode-cfg enable");
                text.AppendLine("        set assign-ip enable");
                text.AppendLine($"        set ipv4-start-ip {start}");
                text.AppendLine($"        set ipv4-end-ip {phase1.PoolEnd ?? start}");
                text.AppendLine($"        set ipv4-netmask {phase1.PoolNetmask}");
                text.AppendLine("        set dns-mode manual");
                text.AppendLine($"        set ipv4-dns-server1 {phase1.DnsServer}");
                text.AppendLine($"        set ipv4-split-include \"{LanAddressName}\"");
            }

            text.AppendLine("        set add-route enable");
            text.AppendLine("    next");
        }

        text.AppendLine("end");
        text.AppendLine("config vpn ipsec phase2-interface");
        foreach (DialUpPhase1 phase1 in Phase1s)
        {
            text.AppendLine($"    edit \"{phase1.Phase2Name}\"");
            text.AppendLine($"        set phase1name \"{phase1.Name}\"");
            text.AppendLine($"        set proposal {phase1.Phase2Proposal}");
            text.AppendLine("        set pfs enable");
            text.AppendLine($"        set dhgrp {phase1.Phase2DhGroup}");
            text.AppendLine($"        set src-subnet {LanSubnet}");
            text.AppendLine("    next");
        }

        text.AppendLine("end");
        return text.ToString();
    }

    private void RenderUsers(StringBuilder text)
    {
        if (XauthUsers.Count == 0)
        {
            return;
        }

        text.AppendLine("config user local");
        foreach (var (name, password) in XauthUsers)
        {
            text.AppendLine($"    edit \"{name}\"");
            text.AppendLine("        set type password");
            text.AppendLine($"        set passwd \"{password}\"");
            text.AppendLine("    next");
        }

        text.AppendLine("end");
        text.AppendLine("config user group");
        foreach (string group in Phase1s.Select(p => p.XauthGroup).OfType<string>().Distinct())
        {
            text.AppendLine($"    edit \"{group}\"");
            text.AppendLine($"        set member {string.Join(' ', XauthUsers.Select(u => $"\"{u.Name}\""))}");
            text.AppendLine("    next");
        }

        text.AppendLine("end");
    }
}
