namespace SharpSwan.Config;

/// <summary>Phase 1 <c>set xauthtype</c>: IKEv1 extended authentication after phase 1 (draft-beaulieu-ike-xauth).</summary>
public enum XauthType
{
    /// <summary>No XAUTH round.</summary>
    Disable,

    /// <summary>We are the XAUTH client (<c>authusr</c>/<c>authpasswd</c>), after main mode on a static phase 1.</summary>
    Client,

    /// <summary>We are the server and ask for the password itself (inside the encrypted ISAKMP SA).</summary>
    Pap,

    /// <summary>We are the server with a challenge: XAUTH_TYPE RADIUS-CHAP, the client answers MD5 over it, not the password.</summary>
    Chap,

    /// <summary>We are the server; FortiOS uses PAP with the client (CHAP only towards an authentication server), so SharpSwan asks as for <see cref="Pap"/>.</summary>
    Auto,
}
