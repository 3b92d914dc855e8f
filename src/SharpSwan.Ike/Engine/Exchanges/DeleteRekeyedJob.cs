namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// Delete <see cref="Old"/>, replaced by a rekey whose new SA waited for the peer (<see cref="ChildSa.OutboundDeferred"/>),
/// if it is still there and still only replaced: the DELETE goes to the peer and outbound moves to the new SA.
/// </summary>
internal sealed record DeleteRekeyedJob(IkeSa Sa, ChildSa Old) : TimedJob;
