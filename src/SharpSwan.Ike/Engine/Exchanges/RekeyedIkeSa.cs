using SharpSwan.Ike.Keys;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>What an IKE rekey agreed on, for the SA manager to make the new IKE SA from (its keys come from the old SA's SK_d).</summary>
internal sealed record RekeyedIkeSa(bool IsInitiator, ulong InitiatorSpi, ulong ResponderSpi, IkeSuite Suite, byte[] Secret, byte[] NonceInitiator, byte[] NonceResponder);
