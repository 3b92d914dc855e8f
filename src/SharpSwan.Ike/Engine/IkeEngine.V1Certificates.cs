using System.Diagnostics.CodeAnalysis;
using SharpSwan.Ike.V1.Exchanges;
using SharpSwan.Ike.Wire;
using V1Wire = SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// IKEv1 signature authentication (RFC 2409 §5.1) on the credentials IKEv2 uses: the same local certificates, trust
/// store, CRLs and <c>peer</c>/<c>peergrp</c> checks (<see cref="AcceptPeerSignature"/>); only the wire differs:
/// CR payloads naming each trusted CA by its DN, CERT payloads, and a SIG payload signing HASH_I/HASH_R itself.
/// </summary>
public sealed partial class IkeEngine
{
    /// <summary>
    /// The authentication methods our phase 1 offers and accepts, ours first: pre-shared key (XAUTHInitPreShared when XAUTH
    /// follows), or the signature method of our certificate's key (RSA; ECDSA by curve, accepting the other ECDSA
    /// methods). Empty when our certificate is not loaded.
    /// </summary>
    IReadOnlyList<ushort> IIsakmpContext.Phase1AuthMethods(TunnelRuntime tunnel)
    {
        if (tunnel.Settings.Authmethod != Config.AuthMethod.Signature)
        {
            return [Phase1Proposals.AuthMethodOf(tunnel.Settings)];
        }

        if (CredentialFor(tunnel.Settings) is not { } credential)
        {
            return [];
        }

        return credential.Key switch
        {
            (false, _) => [Phase1Proposals.RsaSignature],
            (true, <= 256) => [Phase1Proposals.EcdsaP256, Phase1Proposals.EcdsaP384, Phase1Proposals.EcdsaP521],
            (true, <= 384) => [Phase1Proposals.EcdsaP384, Phase1Proposals.EcdsaP256, Phase1Proposals.EcdsaP521],
            _ => [Phase1Proposals.EcdsaP521, Phase1Proposals.EcdsaP256, Phase1Proposals.EcdsaP384],
        };
    }

    /// <summary>Our phase-1 ID, chosen as for IKEv2: <c>localid</c>, else our certificate's subject DN (signature) or our address.</summary>
    V1Wire.IdentificationPayload IIsakmpContext.OwnIsakmpIdentity(IkeSa sa)
    {
        var id = OwnIdentity(sa.Tunnel, sa.Local.Address, sa.IsOriginalInitiator);
        return new V1Wire.IdentificationPayload((V1Wire.IsakmpIdType)id.IdType, 0, 0, id.Data);
    }

    /// <summary>One CR per trusted CA, naming it by its subject DN (RFC 2408 §3.10), so the peer sends its certificate.</summary>
    IEnumerable<V1Wire.CertificateRequestPayload> IIsakmpContext.IsakmpCertificateRequests() =>
        _trust?.Authorities.Select(ca => new V1Wire.CertificateRequestPayload(V1Wire.CertificatePayload.X509Signature, ca.SubjectName.RawData)).ToList() ?? [];

    /// <summary>
    /// CERT (ours, then its intermediates), and the SIG over <paramref name="hash"/> to make (on any thread) handed back;
    /// false when our certificate is not loaded.
    /// </summary>
    bool IIsakmpContext.TryAddIsakmpSignature(IkeSa sa, byte[] hash, List<V1Wire.IsakmpPayload> payloads, [NotNullWhen(true)] out OwnSignature? signature, out string error)
    {
        if (CredentialFor(sa.Tunnel.Settings) is not { } credential)
        {
            error = $"local certificate {sa.Tunnel.Settings.Certificate ?? "(none)"} is not loaded";
            signature = null;
            return false;
        }

        payloads.Add(new V1Wire.CertificatePayload(V1Wire.CertificatePayload.X509Signature, credential.CertificateDer));
        payloads.AddRange(credential.ChainDer.Select(der => new V1Wire.CertificatePayload(V1Wire.CertificatePayload.X509Signature, der)));
        signature = OwnSignature.OverDigest(credential, _credentialGeneration.Hold(), hash);
        error = string.Empty;
        return true;
    }

    /// <summary>
    /// The peer's CERT and its SIG over <paramref name="hash"/> (the HASH_I/HASH_R we compute for its ID): the chain and
    /// the signature, to check on any thread, handed back as for IKEv2; false when there is no SIG at all.
    /// </summary>
    bool IIsakmpContext.CheckIsakmpSignature(IkeSa sa, V1Wire.IsakmpMessage message, V1Wire.IdentificationPayload id, byte[] hash, [NotNullWhen(true)] out PeerSignatureCheck? check, out string reason)
    {
        if (message.Find<V1Wire.SignaturePayload>() is not { } signature)
        {
            reason = "peer sent no SIG payload";
            check = null;
            return false;
        }

        var certificates = message.All<V1Wire.CertificatePayload>().Where(c => c.Encoding == V1Wire.CertificatePayload.X509Signature).Select(c => c.Data).ToList();
        var asV2 = new IdentificationPayload(!sa.IsOriginalInitiator, (IdType)id.IdType, id.Data);
        check = PeerSignatureCheck.OverDigest(_trust, _credentialGeneration.Hold(), certificates, asV2, signature.Data, hash, Now);
        reason = string.Empty;
        return true;
    }

    /// <summary>The verdict once the check ran, as IKEv2's (<see cref="AcceptPeerSignature"/>): the certificate then stays with the SA.</summary>
    bool IIsakmpContext.AcceptIsakmpSignature(IkeSa sa, PeerSignatureCheck check, out string reason) => AcceptPeerSignature(sa, check, out reason);
}
