namespace SharpSwan.Config;

/// <summary>Phase 1 <c>set esn</c>: extended (64-bit) ESP sequence numbers for the child SAs (RFC 4303, RFC 4304).</summary>
public enum EsnMode
{
    /// <summary>32-bit sequence numbers only (the FortiOS default).</summary>
    Disable,

    /// <summary>Offer both, extended preferred; accept either.</summary>
    Allow,

    /// <summary>Extended sequence numbers only: a peer without them gets no child SA.</summary>
    Require,
}
