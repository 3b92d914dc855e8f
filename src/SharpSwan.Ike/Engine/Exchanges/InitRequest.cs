namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>Our IKE_SA_INIT (answered outside the window logic: its answer carries no encryption yet).</summary>
internal sealed record InitRequest : SentRequest;
