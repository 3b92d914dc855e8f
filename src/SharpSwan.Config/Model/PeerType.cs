namespace SharpSwan.Config;

/// <summary>Phase 1 <c>set peertype</c>: which peer identities are accepted.</summary>
public enum PeerType
{
    /// <summary><c>any</c>: accept any peer ID.</summary>
    Any,

    /// <summary><c>one</c>: accept only <c>peerid</c>.</summary>
    One,

    /// <summary><c>dialup</c>: accept IDs from a dial-up user group.</summary>
    Dialup,

    /// <summary><c>peer</c>: accept a certificate peer (FortiOS default).</summary>
    Peer,

    /// <summary><c>peergrp</c>: accept a peer group.</summary>
    PeerGroup,
}
