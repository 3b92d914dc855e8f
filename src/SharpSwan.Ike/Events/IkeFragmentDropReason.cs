namespace SharpSwan.Ike.Events;

/// <summary>Why an IKE fragment (RFC 7383) was not kept for reassembly.</summary>
public enum IkeFragmentDropReason
{
    /// <summary>It failed its integrity check (or came before the SA had keys): not from the key holder, never kept.</summary>
    NotVerified,

    /// <summary>Its framing or numbering is wrong (fragment 0, a number above the total, a bad length or pad length).</summary>
    Malformed,

    /// <summary>The SA did not agree to fragmentation (<c>fragmentation disable</c>, or the peer did not announce it).</summary>
    NotNegotiated,

    /// <summary>A fragment already held arrived again.</summary>
    Duplicate,

    /// <summary>It belongs to a message not expected now (an old request, a response to nothing outstanding).</summary>
    Unexpected,

    /// <summary>It announces fewer fragments than those already held for its message (RFC 7383 §2.6: the larger set wins).</summary>
    FewerFragments,

    /// <summary>Its message would be cut into more fragments than SharpSwan reassembles.</summary>
    TooManyFragments,

    /// <summary>Its message, or all partial messages together, would hold more octets than the reassembly caps allow.</summary>
    TooLarge,

    /// <summary>A partial message waited too long for its other fragments and was discarded with this one.</summary>
    Stale,
}
