namespace SharpSwan.Config;

/// <summary><c>?</c> help of the certificate and firewall address tables (see <see cref="FieldHelpCatalog"/>).</summary>
internal static class DialUpFieldHelp
{
    private const string PemRange = "PEM text in double quotes (may span lines)";

    public static readonly Dictionary<string, FieldHelp> LocalCertificate = new(StringComparer.Ordinal)
    {
        ["certificate"] = new("the gateway's certificate, optionally followed by its chain", PemRange),
        ["certificate-file"] = new("SharpSwan: file holding the certificate PEM (relative to the configuration file)", "path"),
        ["private-key"] = new("the certificate's private key (never shown: printed as ENC)", PemRange + " or ENC <base64>"),
        ["private-key-file"] = new("SharpSwan: file holding the private key PEM (relative to the configuration file)", "path"),
        ["password"] = new("password of an encrypted private key (ENCRYPTED PRIVATE KEY)", "1-128 characters or ENC <base64>"),
        ["comments"] = new("comment", "0-511 characters"),
        ["range"] = new("scope of the certificate (kept, not used)", Choices: ["global", "vdom"], Default: "global"),
        ["source"] = new("origin of the certificate (kept, not used)", Choices: ["factory", "user", "bundle"], Default: "user"),
        ["ike-localid"] = new("local ID sent by IKE with this certificate (kept, not used)", "0-63 characters"),
        ["ike-localid-type"] = new("type of ike-localid (kept, not used)", Choices: ["asn1dn", "fqdn"], Default: "asn1dn"),
    };

    public static readonly Dictionary<string, FieldHelp> CaCertificate = new(StringComparer.Ordinal)
    {
        ["ca"] = new("the CA certificate whose issued peer certificates are trusted", PemRange),
        ["ca-file"] = new("SharpSwan: file holding the CA certificate PEM (relative to the configuration file)", "path"),
        ["range"] = new("scope of the certificate (kept, not used)", Choices: ["global", "vdom"], Default: "global"),
        ["source"] = new("origin of the certificate (kept, not used)", Choices: ["factory", "user", "bundle"], Default: "user"),
        ["ssl-inspection-trusted"] = new("trusted for SSL inspection (kept, not used)", Choices: ["enable", "disable"], Default: "enable"),
    };

    public static readonly Dictionary<string, FieldHelp> FirewallAddress = new(StringComparer.Ordinal)
    {
        ["subnet"] = new("the network", "a.b.c.d m.m.m.m or a.b.c.d/nn", Default: "0.0.0.0 0.0.0.0"),
        ["start-ip"] = new("first address of a type iprange address", "a.b.c.d"),
        ["end-ip"] = new("last address of a type iprange address", "a.b.c.d"),
        ["type"] = new("address type (SharpSwan: ipmask or iprange)", Choices: ["ipmask", "iprange", "fqdn", "geography", "wildcard", "dynamic", "interface-subnet", "mac", "route-tag"], Default: "ipmask"),
        ["comment"] = new("comment", "0-255 characters"),
        ["color"] = new("icon color in the GUI (kept, not used)", "0-32", Default: "0"),
        ["associated-interface"] = new("interface the address belongs to (kept, not used)", "name, 0-35 characters"),
        ["allow-routing"] = new("usable as a router static dstaddr", Choices: ["enable", "disable"], Default: "disable"),
    };
}
