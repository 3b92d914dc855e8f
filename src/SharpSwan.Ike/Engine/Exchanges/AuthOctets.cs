using System.Security.Cryptography;
using System.Text;
using SharpSwan.Crypto;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>What AUTH covers (RFC 7296 §2.15), as pure functions of the IKE SA: the signed octets and the PSK MAC.</summary>
internal static class AuthOctets
{
    private static readonly byte[] KeyPad = Encoding.ASCII.GetBytes("Key Pad for IKEv2");

    /// <summary>The octets both PSK and signature AUTH cover (the message, the other nonce, prf(SK_p, ID')).</summary>
    public static byte[] Signed(IkeSa sa, IdentificationPayload id, bool fromInitiator)
    {
        var keys = sa.Keys!;
        var prf = Prf.Create(sa.Suite!.Prf);
        var message = fromInitiator ? sa.InitRequest : sa.InitResponse;
        var nonce = fromInitiator ? sa.NonceResponder : sa.NonceInitiator;
        var idKey = fromInitiator ? keys.SkPi : keys.SkPr;
        var macedId = prf.Compute(idKey, id.GetAuthenticatedBody());
        var octets = new byte[message.Length + nonce.Length + macedId.Length];
        message.CopyTo(octets, 0);
        nonce.CopyTo(octets, message.Length);
        macedId.CopyTo(octets, message.Length + nonce.Length);
        return octets;
    }

    /// <summary>The PSK AUTH value: prf(prf(psk, "Key Pad for IKEv2"), signed octets).</summary>
    public static byte[] Psk(IkeSa sa, IdentificationPayload id, bool fromInitiator)
    {
        var prf = Prf.Create(sa.Suite!.Prf);
        var psk = sa.Tunnel.Settings.PresharedKey is { } secret ? secret.Bytes : [];
        var padded = prf.Compute(psk, KeyPad);
        var result = prf.Compute(padded, Signed(sa, id, fromInitiator));
        CryptographicOperations.ZeroMemory(padded);
        return result;
    }
}
