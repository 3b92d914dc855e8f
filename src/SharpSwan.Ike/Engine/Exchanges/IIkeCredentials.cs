using System.Net;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// Our credentials and trust anchors as IKE_SA_INIT and IKE_AUTH use them: CERTREQ, our identity and AUTH (PSK or
/// signature), and the check of the peer's AUTH. The engine loads them from the configuration.
/// </summary>
internal interface IIkeCredentials
{
    /// <summary>CERTREQ naming every CA we trust; null when we trust none.</summary>
    CertificateRequestPayload? CertificateRequest();

    /// <summary>Our identity: <c>localid</c> when set, else the certificate's subject (signature) or our address.</summary>
    IdentificationPayload OwnIdentity(TunnelRuntime tunnel, IPAddress localAddress, bool isInitiator);

    /// <summary>
    /// AUTH (and CERT before it) proving our identity; false with the reason when our certificate is missing. A PSK's AUTH
    /// is added at once; for a signature the CERTs are, and <paramref name="signature"/> is the signature to make (on any
    /// thread, <see cref="OwnAuthComputation"/>) and add as AUTH.
    /// </summary>
    bool TryAddOwnAuthentication(IkeSa sa, IdentificationPayload ourId, bool asInitiator, List<IkePayload> payloads, out OwnSignature? signature, out string error);

    /// <summary>
    /// Checks the peer's AUTH: the PSK MAC at once. For a signature only its method is checked here; false with the reason
    /// when refused, else <paramref name="check"/> is the check of its certificate and signature, to run on any thread
    /// (<see cref="PeerAuthComputation"/>) and judge with <see cref="AcceptPeerSignature"/>.
    /// </summary>
    bool VerifyPeerAuthentication(IkeSa sa, IkeMessage message, IdentificationPayload id, AuthenticationPayload auth, bool fromInitiator, out PeerSignatureCheck? check, out string reason);

    /// <summary>
    /// The verdict on a peer signature's check that ran: its certificate trusted, in date, matching the phase 1's peer rule
    /// and naming its ID, and the signature good (refusals by the trust store or the peer rule are published). When
    /// accepted the certificate stays with the SA.
    /// </summary>
    bool AcceptPeerSignature(IkeSa sa, PeerSignatureCheck check, out string reason);
}
