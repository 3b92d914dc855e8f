using SharpSwan.Config;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>A child SA an exchange agreed on, for the SA manager to install: SPIs, suite, keys, selectors and its role.</summary>
/// <param name="LowestNonce">The lowest nonce of the exchange that made it (collision decisions).</param>
/// <param name="ActivateOutbound">Whether it carries outbound traffic at once (not while a rekeyed SA still does).</param>
internal sealed record NegotiatedChild(
    Phase2Settings Phase2,
    uint InboundSpi,
    uint OutboundSpi,
    ChildSuite Suite,
    ChildSaKeys Keys,
    TrafficSelector Local,
    TrafficSelector Remote,
    bool CreatedByUs,
    byte[] LowestNonce,
    bool ActivateOutbound,
    ChildSa? RekeyOf);
