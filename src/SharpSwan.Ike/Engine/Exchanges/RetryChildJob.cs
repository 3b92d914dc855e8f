using SharpSwan.Config;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// Try a refused CREATE_CHILD_SA again (the peer was busy, or did not have the SA yet): on <see cref="Sa"/> only if it is
/// still the tunnel's IKE SA, and only if the work is still needed then.
/// </summary>
internal sealed record RetryChildJob(IkeSa Sa, Phase2Settings Phase2, ChildSa? RekeyOf) : TimedJob;
