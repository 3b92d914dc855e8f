using SharpSwan.Config;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.V1.Keys;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// What SKEYID and its family (RFC 2409 §5) are made of besides g^xy, taken from the ISAKMP SA on the engine thread so
/// that <see cref="Derive"/> may run on another: the chosen hash and key length, the authentication method (pre-shared key
/// or signature form of SKEYID), the pre-shared key, both nonces and both cookies.
/// </summary>
internal sealed record PhaseOneKeying(Phase1HashAlgorithm Hash, int KeyBytes, ushort AuthMethod, Secret? PresharedKey, byte[] NonceInitiator, byte[] NonceResponder, ulong CookieInitiator, ulong CookieResponder)
{
    /// <summary>The SA's keying inputs as they are now (both nonces and cookies must be known).</summary>
    public static PhaseOneKeying Of(IkeSa sa, IsakmpSaState v1) =>
        new(v1.Hash, v1.KeyBytes, v1.AuthMethod, sa.Tunnel.Settings.PresharedKey, sa.NonceInitiator, sa.NonceResponder, sa.InitiatorSpi, sa.ResponderSpi);

    /// <summary>SKEYID, SKEYID_d/_a/_e and the cipher key from the shared secret (the caller wipes the secret).</summary>
    public IsakmpSaKeys Derive(byte[] sharedSecret) => Phase1Proposals.IsSignature(AuthMethod)
        ? IsakmpSaKeys.DeriveSignature(Hash, NonceInitiator, NonceResponder, sharedSecret, CookieInitiator, CookieResponder, KeyBytes, Phase1Proposals.AuthHashOf(AuthMethod))
        : IsakmpSaKeys.DerivePsk(Hash, PresharedKey is { } key ? key.Bytes : [], NonceInitiator, NonceResponder, sharedSecret, CookieInitiator, CookieResponder, KeyBytes);
}
