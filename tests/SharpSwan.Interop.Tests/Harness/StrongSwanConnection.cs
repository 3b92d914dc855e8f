using System.Text;
using SharpSwan.Crypto.Certificates;

namespace SharpSwan.Interop.Tests.Harness;

/// <summary>The one IKE connection (<c>t</c>) with one child (<c>c</c>) a test's strongSwan peer runs.</summary>
public sealed record StrongSwanConnection
{
    public const string IkeName = "t";
    public const string ChildName = "c";

    public required string LocalAddress { get; init; }

    public required string RemoteAddress { get; init; }

    public required string LocalSubnet { get; init; }

    public required string RemoteSubnet { get; init; }

    public required string PreSharedKey { get; init; }

    /// <summary>swanctl <c>version</c>: 2 (default here) or 1 (IKEv1 main mode).</summary>
    public int Version { get; init; } = 2;

    public string Proposals { get; init; } = "aes256gcm16-prfsha384-ecp384";

    public string EspProposals { get; init; } = "aes256gcm16-ecp384";

    /// <summary>IKE identities; IP addresses unless a test says otherwise.</summary>
    public string? LocalId { get; init; }

    public string? RemoteId { get; init; }

    public string StartAction { get; init; } = "none";

    /// <summary>Child <c>rekey_time</c> (e.g. "90s"); null keeps strongSwan's default (1 h).</summary>
    public string? ChildRekeyTime { get; init; }

    /// <summary>Child <c>rand_time</c>: how far before <see cref="ChildRekeyTime"/> the rekey may be moved at random.</summary>
    public string? ChildRandTime { get; init; }

    /// <summary>Child <c>life_time</c> (hard expiry); null keeps strongSwan's default (rekey_time + 10%).</summary>
    public string? ChildLifeTime { get; init; }

    /// <summary>IKE <c>rekey_time</c> (with IKEv1 a reauthentication: a new main mode); null keeps the 4 h default.</summary>
    public string? IkeRekeyTime { get; init; }

    /// <summary>IKE <c>over_time</c> (IKEv1: added to rekey_time in the proposed ISAKMP lifetime).</summary>
    public string? IkeOverTime { get; init; }

    /// <summary>IKE <c>rand_time</c>; null keeps the default (over_time).</summary>
    public string? IkeRandTime { get; init; }

    /// <summary>IKEv1 aggressive mode (<c>aggressive = yes</c>).</summary>
    public bool Aggressive { get; init; }

    /// <summary>charon's <c>dpd_delay</c> (e.g. <c>2s</c>): a liveness check after that long without inbound traffic; none when null.</summary>
    public string? DpdDelay { get; init; }

    /// <summary>charon's <c>dpd_timeout</c> (IKEv1 only): how long its R-U-THERE may go unanswered before it closes the SA.</summary>
    public string? DpdTimeout { get; init; }

    /// <summary>Authenticate with this certificate (<c>auth = pubkey</c>) instead of the PSK; needs <see cref="AuthorityPem"/>.</summary>
    public IssuedCertificate? Certificate { get; init; }

    /// <summary>The CA the other side's certificate must chain to (<c>cacerts</c>).</summary>
    public string? AuthorityPem { get; init; }

    /// <summary>The files <see cref="Certificate"/> and <see cref="AuthorityPem"/> need next to swanctl.conf.</summary>
    public IReadOnlyDictionary<string, string> CredentialFiles() => Certificate is null || AuthorityPem is null
        ? new Dictionary<string, string>()
        : new Dictionary<string, string>
        {
            ["x509/peer.crt"] = Certificate.CertificatePem,
            ["private/peer.key"] = Certificate.PrivateKeyPem,
            ["x509ca/ca.crt"] = AuthorityPem,
        };

    public string RenderSwanctlConf()
    {
        var conf = new StringBuilder();
        conf.AppendLine("connections {");
        conf.AppendLine($"  {IkeName} {{");
        conf.AppendLine($"    version = {Version}");
        conf.AppendLine($"    local_addrs = {LocalAddress}");
        conf.AppendLine($"    remote_addrs = {RemoteAddress}");
        // libipsec can only send ESP inside UDP.
        conf.AppendLine("    encap = yes");
        conf.AppendLine($"    proposals = {Proposals}");
        AppendIfSet(conf, "    rekey_time", IkeRekeyTime);
        AppendIfSet(conf, "    over_time", IkeOverTime);
        AppendIfSet(conf, "    rand_time", IkeRandTime);
        AppendIfSet(conf, "    aggressive", Aggressive ? "yes" : null);
        AppendIfSet(conf, "    dpd_delay", DpdDelay);
        AppendIfSet(conf, "    dpd_timeout", DpdTimeout);
        AppendAuthentication(conf);
        conf.AppendLine("    children {");
        conf.AppendLine($"      {ChildName} {{");
        conf.AppendLine($"        local_ts = {LocalSubnet}");
        conf.AppendLine($"        remote_ts = {RemoteSubnet}");
        conf.AppendLine($"        esp_proposals = {EspProposals}");
        conf.AppendLine($"        start_action = {StartAction}");
        AppendIfSet(conf, "        rekey_time", ChildRekeyTime);
        AppendIfSet(conf, "        rand_time", ChildRandTime);
        AppendIfSet(conf, "        life_time", ChildLifeTime);
        conf.AppendLine("      }");
        conf.AppendLine("    }");
        conf.AppendLine("  }");
        conf.AppendLine("}");
        conf.AppendLine("secrets {");
        conf.AppendLine("  ike-psk {");
        conf.AppendLine($"    secret = \"{PreSharedKey}\"");
        conf.AppendLine("  }");
        conf.AppendLine("}");
        return conf.ToString();
    }

    /// <summary>
    /// PSK with address identities by default; with a certificate, its subject DN (unless <see cref="LocalId"/>) and any
    /// remote identity (unless <see cref="RemoteId"/>) whose certificate the CA issued.
    /// </summary>
    private void AppendAuthentication(StringBuilder conf)
    {
        bool pubkey = Certificate is not null;
        conf.AppendLine("    local {");
        conf.AppendLine($"      auth = {(pubkey ? "pubkey" : "psk")}");
        AppendIfSet(conf, "      id", pubkey ? LocalId : LocalId ?? LocalAddress);
        AppendIfSet(conf, "      certs", pubkey ? "peer.crt" : null);
        conf.AppendLine("    }");
        conf.AppendLine("    remote {");
        conf.AppendLine($"      auth = {(pubkey ? "pubkey" : "psk")}");
        AppendIfSet(conf, "      id", pubkey ? RemoteId : RemoteId ?? RemoteAddress);
        AppendIfSet(conf, "      cacerts", pubkey ? "ca.crt" : null);
        conf.AppendLine("    }");
    }

    private static void AppendIfSet(StringBuilder conf, string setting, string? value)
    {
        if (value is not null)
        {
            conf.AppendLine($"{setting} = {value}");
        }
    }
}
