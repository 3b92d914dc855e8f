using SharpSwan.Ike.Engine;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// The ID and its proof in main-mode messages 5 and 6 and in aggressive mode (RFC 2409 §5): HASH_I/HASH_R with a pre-shared key; with a signature
/// method CERT payloads and a SIG over that same hash, as the negotiated transform's authentication method says.
/// </summary>
internal static class MainModeProof
{
    public static bool UsesSignature(IsakmpSaState v1) => Phase1Proposals.IsSignature(v1.AuthMethod);

    /// <summary>Our ID and its proof; null with the reason when our certificate is not loaded.</summary>
    public static List<IsakmpPayload>? Build(IIsakmpContext context, IkeSa sa, IsakmpSaState v1, bool ofInitiator, out string error)
    {
        var id = OwnId(context, sa);
        var hash = MainModeKeying.AuthHash(sa, v1, ofInitiator, id.EncodeBody());
        var payloads = new List<IsakmpPayload> { id };
        if (!UsesSignature(v1))
        {
            payloads.Add(new HashPayload(hash));
            error = string.Empty;
            return payloads;
        }

        return context.TryAddIsakmpSignature(sa, hash, payloads, out error) ? payloads : null;
    }

    /// <summary>Our phase-1 ID: <c>localid</c>, else our certificate's subject DN (signature) or our address (pre-shared key).</summary>
    public static IdentificationPayload OwnId(IIsakmpContext context, IkeSa sa) => context.OwnIsakmpIdentity(sa);

    /// <summary>The peer's certificate and its SIG over the HASH_I/HASH_R of the ID it sent.</summary>
    public static bool VerifySignature(IIsakmpContext context, IkeSa sa, IsakmpSaState v1, IsakmpMessage message, IdentificationPayload id, bool ofInitiator, out string reason) =>
        context.VerifyIsakmpSignature(sa, message, id, MainModeKeying.AuthHash(sa, v1, ofInitiator, id.EncodeBody()), out reason);
}
