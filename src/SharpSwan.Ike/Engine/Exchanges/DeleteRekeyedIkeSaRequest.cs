namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>Our INFORMATIONAL DELETE of an IKE SA we replaced by a rekey: answered or not, the old SA goes.</summary>
internal sealed record DeleteRekeyedIkeSaRequest : SentRequest;
