using SharpSwan.Ike.Logging;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// An outbound ESP SA near the end of its 32-bit sequence space (issue 11, item 4): the data plane says so, and the engine
/// treats it as a soft expiry, rekeying the child SA long before the last number is used.
/// </summary>
public sealed partial class IkeEngine
{
    /// <summary>
    /// The child SA with <paramref name="inboundSpi"/> on <paramref name="phase1"/> passed its outbound sequence soft point
    /// (or, with <paramref name="exhausted"/>, used its last number). Starts its rekey unless one is under way; true if it did.
    /// </summary>
    public bool OutboundSequenceNearLimit(string phase1, uint inboundSpi, bool exhausted)
    {
        if (!TryGetTunnel(phase1, out var tunnel) || tunnel.Current is not { State: IkeSaState.Established } sa ||
            sa.Children.Find(c => c.InboundSpi == inboundSpi) is not { State: ChildSaState.Installed } child)
        {
            return false;
        }

        var what = exhausted ? "used its last sequence number" : "is near the end of its sequence numbers";
        _log.Child(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, child.Phase2Name, child.Serial, $"outbound SA {child.OutboundSpi:x8} {what}: rekeying");
        Publish(sa, SoftExpiry(child, rekeying: true, byBytes: false) with { BySequence = true });
        StartChildRekey(sa, child);
        return true;
    }
}
