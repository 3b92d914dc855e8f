using SharpSwan.Ike.Events;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// What <see cref="FragmentReassembly.Add"/> did: the whole inner chain when the message completed, a drop reason, or
/// neither (kept, waiting for more); <see cref="StaleMessageId"/> names a partial message it discarded on the way.
/// </summary>
internal readonly record struct FragmentAdded(byte[]? Message, PayloadType First, int Fragments, IkeFragmentDropReason? Reason, uint? StaleMessageId)
{
    public static FragmentAdded Dropped(IkeFragmentDropReason reason, uint? stale) => new(null, PayloadType.None, 0, reason, stale);
}
