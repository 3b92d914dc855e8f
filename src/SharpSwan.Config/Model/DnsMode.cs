namespace SharpSwan.Config;

/// <summary>Phase 1 mode-cfg <c>set dns-mode</c>: which DNS servers are pushed to dial-up clients.</summary>
public enum DnsMode
{
    /// <summary><c>manual</c>: the <c>ipv4-dns-server1..3</c> values.</summary>
    Manual,

    /// <summary><c>auto</c>: the gateway's own DNS settings.</summary>
    Auto,
}
