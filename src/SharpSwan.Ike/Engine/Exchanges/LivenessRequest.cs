namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>An empty INFORMATIONAL probing a silent peer (dead peer detection).</summary>
internal sealed record LivenessRequest(int Probes) : SentRequest;
