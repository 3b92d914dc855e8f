namespace SharpSwan.Ike.Events;

/// <summary>
/// A retired child SA is current again: the peer never finished the rekey that replaced it, so the engine dropped the
/// unused successor and keeps the old SA (log: <c>peer never finished its rekey ...</c>).
/// </summary>
public sealed record ChildSaReinstated : ChildSaEvent
{
}
