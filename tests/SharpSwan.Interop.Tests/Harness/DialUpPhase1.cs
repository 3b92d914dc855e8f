namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// One <c>type dynamic</c> phase 1 of the dial-up hub and its phase 2 (<c>&lt;name&gt;-p2</c>, the hub's LAN as
/// source, the destination left at 0.0.0.0/0 to be narrowed per peer). PSK unless <see cref="CertificateName"/> is set.
/// </summary>
public sealed record DialUpPhase1
{
    public required string Name { get; init; }

    public string Phase2Name => Name + "-p2";

    public string? PreSharedKey { get; init; }

    /// <summary><c>authmethod signature</c> with this <c>config vpn certificate local</c> entry.</summary>
    public string? CertificateName { get; init; }

    /// <summary>mode-cfg pool; null turns mode-cfg off (a site-to-site dial-up peer proposes its own selectors).</summary>
    public string? PoolStart { get; init; }

    public string? PoolEnd { get; init; }

    public string PoolNetmask { get; init; } = "255.255.255.0";

    public string DnsServer { get; init; } = "10.1.0.53";

    public string Proposal { get; init; } = "aes256gcm-prfsha384";

    public int DhGroup { get; init; } = 20;

    public string Phase2Proposal { get; init; } = "aes256gcm";

    public int Phase2DhGroup { get; init; } = 20;

    /// <summary>
    /// An IKEv1 phase 1 (main mode unless <see cref="Aggressive"/>) with an XAUTH server (<c>xauthtype auto</c>) checking the users of this
    /// <c>config user group</c>; IKEv2 when null. Give it IKEv1 proposals (AES-CBC).
    /// </summary>
    public string? XauthGroup { get; init; }

    /// <summary>IKEv1 aggressive mode (<c>set mode aggressive</c>; give it one DH group); main mode otherwise.</summary>
    public bool Aggressive { get; init; }

    /// <summary><c>peertype one</c> with this <c>peerid</c>; <c>peertype any</c> when null.</summary>
    public string? PeerId { get; init; }
}
