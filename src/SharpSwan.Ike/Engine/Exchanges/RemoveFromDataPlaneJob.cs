namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>Take a child SA out of the data plane now: a rekeyed SA kept a moment for packets still in flight.</summary>
internal sealed record RemoveFromDataPlaneJob(string Phase1, string Phase2, uint InboundSpi, uint OutboundSpi) : TimedJob;
