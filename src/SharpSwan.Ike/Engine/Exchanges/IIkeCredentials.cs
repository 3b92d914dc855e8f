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

    /// <summary>AUTH (and CERT before it) proving our identity; false with the reason when our certificate is missing.</summary>
    bool TryAddOwnAuthentication(IkeSa sa, IdentificationPayload ourId, bool asInitiator, List<IkePayload> payloads, out string error);

    /// <summary>Checks the peer's AUTH: the PSK MAC, or its certificate (trusted, in date, naming its ID) and signature.</summary>
    bool VerifyPeerAuthentication(IkeSa sa, IkeMessage message, IdentificationPayload id, AuthenticationPayload auth, bool fromInitiator, out string reason);
}
