using SharpSwan.Config;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>One ESP SA pair as the engine knows it. The IKE SA that holds it is its only owner.</summary>
public sealed class ChildSa
{
    /// <summary>The phase 2 it was negotiated under; a live change of settings no SA depends on (keepalive, auto-negotiate) replaces it.</summary>
    public required Phase2Settings Settings { get; set; }

    public required int Serial { get; init; }

    public required uint InboundSpi { get; init; }

    public required uint OutboundSpi { get; init; }

    public required ChildSuite Suite { get; init; }

    public required TrafficSelector LocalSelector { get; init; }

    public required TrafficSelector RemoteSelector { get; init; }

    /// <summary>True when we started the exchange that created this SA.</summary>
    public required bool CreatedByUs { get; init; }

    public required DateTimeOffset InstalledAt { get; init; }

    public required DateTimeOffset SoftExpiry { get; set; }

    public required DateTimeOffset HardExpiry { get; set; }

    /// <summary>
    /// Taken out of the data plane at its hard point while its DELETE exchange may still be running: an expired SA must not
    /// carry a packet even when the peer is slow to answer.
    /// </summary>
    public bool RemovedFromDataPlane { get; set; }

    /// <summary>Nonces of the exchange that created it, for the RFC 7296 §2.8.1 collision rule.</summary>
    public required byte[] LowestNonce { get; init; }

    public ChildSaState State { get; set; } = ChildSaState.Installed;

    /// <summary>
    /// Installed without carrying outbound traffic, as the peer may not have it yet (an IKEv1 rekey we started: the peer
    /// installs at quick mode's 3rd message). The peer's first packet on it, or the deletion of the SA it replaces after
    /// <see cref="Lifecycle.Phase2Lifecycle.CommitGrace"/>, moves outbound to it.
    /// </summary>
    public bool OutboundDeferred { get; init; }

    /// <summary>The SA this one replaced by a rekey; null for a newly created SA.</summary>
    public ChildSa? Predecessor { get; set; }

    /// <summary>SAs created by rekeying this one (two after a simultaneous rekey).</summary>
    public List<ChildSa> Successors { get; } = [];

    /// <summary>Set once the soft lifetime passed without traffic: traffic from now on starts the rekey at once.</summary>
    public bool SoftExpired { get; set; }

    /// <summary>When a rekeyed SA is kept only for stragglers, it is removed at this time if no DELETE came.</summary>
    public DateTimeOffset? RetireAt { get; set; }

    /// <summary>Serial of the IKE SA whose exchange created it (children move to the successor when the IKE SA is rekeyed).</summary>
    public int NegotiatedOn { get; init; }

    /// <summary>Serial of the IKE SA our rekey request for this SA was sent on (while <see cref="State"/> is Rekeying).</summary>
    public int RekeyRequestedOn { get; set; }

    public string Phase2Name => Settings.Name;
}
