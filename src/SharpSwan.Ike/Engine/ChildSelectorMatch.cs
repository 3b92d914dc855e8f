using SharpSwan.Config;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>The phase 2 a peer's child SA request falls under, with its selectors narrowed: TSi (the peer's side) and TSr (ours).</summary>
internal sealed record ChildSelectorMatch(Phase2Settings Phase2, TrafficSelector Initiator, TrafficSelector Responder);
