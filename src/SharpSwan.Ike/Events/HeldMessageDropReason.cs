namespace SharpSwan.Ike.Events;

/// <summary>Why a datagram that came while its IKE SA computed was dropped instead of being taken afterwards.</summary>
public enum HeldMessageDropReason
{
    /// <summary>The SA already held as many datagrams (or octets) as it may: the peer retransmits, as it would after a loss.</summary>
    QueueFull,

    /// <summary>The SA was removed (or failed) before its computation came back: there is nobody to take it.</summary>
    SaGone,
}
