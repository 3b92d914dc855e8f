using System.Text;
using SharpSwan.Crypto.Certificates;

namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// A strongSwan road warrior (<c>t</c> with child <c>c</c>): asks the hub for a virtual IP (<c>vips = 0.0.0.0</c>),
/// proposes its own address as local_ts (dynamic) and the hub's LAN as remote_ts, and authenticates with a PSK
/// or with a certificate (pubkey, RFC 7427 signatures when the hub offers them).
/// </summary>
public sealed record RoadWarriorConnection
{
    public const string IkeName = StrongSwanConnection.IkeName;
    public const string ChildName = StrongSwanConnection.ChildName;

    public required string RemoteAddress { get; init; }

    /// <summary>The client's own IKE identity (an FQDN such as client1.lab).</summary>
    public required string LocalId { get; init; }

    /// <summary>PSK authentication (both directions) when set; otherwise certificate authentication.</summary>
    public string? PreSharedKey { get; init; }

    /// <summary>The client's certificate and key for pubkey authentication.</summary>
    public IssuedCertificate? Certificate { get; init; }

    /// <summary>The CA that must have issued the hub's certificate (pubkey authentication only).</summary>
    public string? AuthorityPem { get; init; }

    public string RemoteSubnet { get; init; } = DialUpTopology.HubLanSubnet;

    public string Proposals { get; init; } = "aes256gcm16-prfsha384-ecp384";

    public string EspProposals { get; init; } = "aes256gcm16-ecp384";

    /// <summary>IKE version: 2, or 1 (main mode unless <see cref="Aggressive"/>) for an XAUTH client.</summary>
    public int Version { get; init; } = 2;

    /// <summary>IKEv1 aggressive mode (<c>aggressive = yes</c>, FortiClient's shape): give it one DH group.</summary>
    public bool Aggressive { get; init; }

    /// <summary>IKEv1: a second authentication round by XAUTH (<c>local-2 { auth = xauth }</c>) with this user and password.</summary>
    public (string User, string Password)? Xauth { get; init; }

    /// <summary>
    /// IKEv1 mode-config: false renders <c>pull = no</c>, so the client sends no REQUEST and waits for the server's SET
    /// (push); true (strongSwan's default) leaves it out.
    /// </summary>
    public bool Pull { get; init; } = true;

    /// <summary>charon's <c>dpd_delay</c> (e.g. <c>5s</c>): a liveness check after that long without inbound traffic; none when null.</summary>
    public string? DpdDelay { get; init; }

    public string RenderSwanctlConf()
    {
        bool psk = PreSharedKey is not null;
        if (!psk && (Certificate is null || AuthorityPem is null))
        {
            throw new InvalidOperationException("a road warrior needs either a PSK or a certificate and the hub's CA");
        }

        var conf = new StringBuilder();
        conf.AppendLine("connections {");
        conf.AppendLine($"  {IkeName} {{");
        conf.AppendLine($"    version = {Version}");
        conf.AppendLine($"    remote_addrs = {RemoteAddress}");
        if (Aggressive)
        {
            conf.AppendLine("    aggressive = yes");
        }

        conf.AppendLine("    vips = 0.0.0.0");
        if (!Pull)
        {
            conf.AppendLine("    pull = no");
        }

        // libipsec can only send ESP inside UDP.
        conf.AppendLine("    encap = yes");
        conf.AppendLine("    send_certreq = yes");
        conf.AppendLine($"    proposals = {Proposals}");
        if (DpdDelay is not null)
        {
            conf.AppendLine($"    dpd_delay = {DpdDelay}");
        }

        conf.AppendLine("    local {");
        conf.AppendLine($"      auth = {(psk ? "psk" : "pubkey")}");
        conf.AppendLine($"      id = {LocalId}");
        if (!psk)
        {
            conf.AppendLine("      certs = client.crt");
        }

        conf.AppendLine("    }");
        if (Xauth is var (xauthUser, _))
        {
            conf.AppendLine("    local-2 {");
            conf.AppendLine("      auth = xauth");
            conf.AppendLine($"      xauth_id = {xauthUser}");
            conf.AppendLine("    }");
        }

        conf.AppendLine("    remote {");
        conf.AppendLine($"      auth = {(psk ? "psk" : "pubkey")}");
        if (!psk)
        {
            // Any identity the hub's certificate holds (its DN or its SAN), as long as the lab CA issued it.
            conf.AppendLine("      cacerts = ca.crt");
        }

        conf.AppendLine("    }");
        conf.AppendLine("    children {");
        conf.AppendLine($"      {ChildName} {{");
        conf.AppendLine($"        remote_ts = {RemoteSubnet}");
        conf.AppendLine($"        esp_proposals = {EspProposals}");
        conf.AppendLine("        start_action = none");
        conf.AppendLine("      }");
        conf.AppendLine("    }");
        conf.AppendLine("  }");
        conf.AppendLine("}");
        conf.AppendLine("secrets {");
        if (psk)
        {
            conf.AppendLine("  ike-psk {");
            conf.AppendLine($"    secret = \"{PreSharedKey}\"");
            conf.AppendLine("  }");
        }

        if (Xauth is var (user, password))
        {
            conf.AppendLine("  xauth-1 {");
            conf.AppendLine($"    id = {user}");
            conf.AppendLine($"    secret = \"{password}\"");
            conf.AppendLine("  }");
        }

        conf.AppendLine("}");
        return conf.ToString();
    }

    /// <summary>Credential files in the layout swanctl --load-all --file reads next to swanctl.conf.</summary>
    public IReadOnlyDictionary<string, string> CredentialFiles()
    {
        var files = new Dictionary<string, string>();
        if (Certificate is not null)
        {
            files["x509/client.crt"] = Certificate.CertificatePem;
            files["private/client.key"] = Certificate.PrivateKeyPem;
        }

        if (AuthorityPem is not null)
        {
            files["x509ca/ca.crt"] = AuthorityPem;
        }

        return files;
    }
}
