using SharpSwan.Ike.Engine;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// The ID and its proof in main-mode messages 5 and 6 and in aggressive mode (RFC 2409 §5): HASH_I/HASH_R with a pre-shared key; with a signature
/// method CERT payloads and a SIG over that same hash, as the negotiated transform's authentication method says. A SIG is
/// made, and a peer's checked, as an <see cref="EngineComputation"/> (maybe on another thread); the step goes on once it is back.
/// </summary>
internal static class MainModeProof
{
    public static bool UsesSignature(IsakmpSaState v1) => Phase1Proposals.IsSignature(v1.AuthMethod);

    /// <summary>
    /// Our ID and its proof: with a pre-shared key HASH, complete; with a signature our CERTs, the SIG to make handed back in
    /// <paramref name="signature"/> (<see cref="AddSignature"/> adds it once made). Null with the reason when our certificate is not loaded.
    /// </summary>
    public static List<IsakmpPayload>? Build(IIsakmpContext context, IkeSa sa, IsakmpSaState v1, bool ofInitiator, out OwnSignature? signature, out string error)
    {
        var id = OwnId(context, sa);
        var hash = MainModeKeying.AuthHash(sa, v1, ofInitiator, id.EncodeBody());
        var payloads = new List<IsakmpPayload> { id };
        signature = null;
        if (!UsesSignature(v1))
        {
            payloads.Add(new HashPayload(hash));
            error = string.Empty;
            return payloads;
        }

        return context.TryAddIsakmpSignature(sa, hash, payloads, out signature, out error) ? payloads : null;
    }

    /// <summary>Our SIG, once made, after the ID and CERTs of <paramref name="proof"/>; false with the reason when it could not be made.</summary>
    public static bool AddSignature(OwnAuthComputation signed, List<IsakmpPayload> proof, out string error)
    {
        if (signed.AuthData is not { } data)
        {
            error = signed.Error;
            return false;
        }

        proof.Add(new SignaturePayload(data));
        error = string.Empty;
        return true;
    }

    /// <summary>Our phase-1 ID: <c>localid</c>, else our certificate's subject DN (signature) or our address (pre-shared key).</summary>
    public static IdentificationPayload OwnId(IIsakmpContext context, IkeSa sa) => context.OwnIsakmpIdentity(sa);

    /// <summary>
    /// The check of the peer's certificate and its SIG over the HASH_I/HASH_R of the ID it sent, to run maybe elsewhere; false
    /// with the reason when there is nothing to check. The verdict: <see cref="IIsakmpContext.AcceptIsakmpSignature"/>.
    /// </summary>
    public static bool CheckSignature(IIsakmpContext context, IkeSa sa, IsakmpSaState v1, IsakmpMessage message, IdentificationPayload id, bool ofInitiator, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PeerSignatureCheck? check, out string reason) =>
        context.CheckIsakmpSignature(sa, message, id, MainModeKeying.AuthHash(sa, v1, ofInitiator, id.EncodeBody()), out check, out reason);
}
