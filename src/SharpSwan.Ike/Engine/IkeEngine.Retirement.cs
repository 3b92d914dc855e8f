using SharpSwan.Ike.Events;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// Events for SAs that leave (or re-enter) use without being freed yet, so a consumer can tell the current SAs from the
/// ones only waiting for their DELETE without reading engine state.
/// </summary>
public sealed partial class IkeEngine
{
    /// <summary>Call before the child's state moves to Rekeyed or Deleting: publishes only if it was still current.</summary>
    private void PublishChildRetired(IkeSa sa, ChildSa child, string reason)
    {
        if (child.State is ChildSaState.Installed or ChildSaState.Rekeying)
        {
            Publish(sa, new ChildSaRetired { Phase2 = child.Phase2Name, ChildSerial = child.Serial, InboundSpi = child.InboundSpi, OutboundSpi = child.OutboundSpi, Reason = reason });
        }
    }

    private void PublishChildReinstated(IkeSa sa, ChildSa child) =>
        Publish(sa, new ChildSaReinstated { Phase2 = child.Phase2Name, ChildSerial = child.Serial, InboundSpi = child.InboundSpi, OutboundSpi = child.OutboundSpi });

    /// <summary>Call before an established IKE SA's state moves to Deleting.</summary>
    private void PublishIkeRetired(IkeSa sa, string reason)
    {
        if (sa.State == IkeSaState.Established)
        {
            Publish(sa, new IkeSaRetired { Spis = sa.SpiText, Reason = reason });
        }
    }
}
