using System.Diagnostics.CodeAnalysis;
using System.Net;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Engine.Exchanges;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// What the IKEv1 exchanges use of the SA manager beyond <see cref="IExchangeContext"/>: ISAKMP messages carry no
/// response flag and no sequential IDs, so they are sent as ready bytes, with or without a retransmission schedule.
/// </summary>
internal interface IIsakmpContext : IExchangeContext
{
    /// <summary>Sends a message we expect an answer to; it is retransmitted with back-off until the answer or the timeout.</summary>
    void SendIsakmpRequest(IkeSa sa, byte[] datagram, uint messageId, string label, SentRequest request);

    /// <summary>Sends a message once: an answer (kept by the caller for repeats), a DELETE, the last quick-mode message.</summary>
    void SendIsakmp(IkeSa sa, byte[] datagram, string label);

    /// <summary>
    /// The IKEv1 phase 1 for a peer's first message: the static one for its address, else a dial-up one of the same
    /// <paramref name="mode"/> (aggressive mode: the one whose peerid accepts <paramref name="id"/>, else one without peerid),
    /// else one of the other mode (refused by the caller); null when none, with <paramref name="idRefused"/> set when
    /// aggressive-mode dial-up phase 1s were there but none accepts the peer's ID.
    /// </summary>
    TunnelRuntime? FindIkev1Tunnel(IPAddress local, IPAddress remote, SharpSwan.Config.Ikev1Mode mode, SharpSwan.Ike.V1.Wire.IdentificationPayload? id, out bool idRefused);

    /// <summary>The ISAKMP SA that holds the tunnel's IPsec SAs now: a renewal moved them from <paramref name="sa"/> to its successor.</summary>
    IkeSa CarrierOf(IkeSa sa);

    /// <summary>A peer phase 1 authenticated on a dial-up phase 1: its own tunnel instance (INITIAL-CONTACT drops its old one).</summary>
    TunnelRuntime AdmitIkev1DialupPeer(IkeSa sa, string identity, bool initialContact);

    /// <summary>Phase 1 authenticated a peer of a phase 1 with an XAUTH server: ask it for its user name and password.</summary>
    void StartXauth(IkeSa sa, bool initialContact);

    /// <summary>We are the XAUTH client and phase 1 is done: wait (up to negotiate-timeout) for the server's request.</summary>
    void AwaitXauth(IkeSa sa);

    /// <summary>The peer passed XAUTH: its ISAKMP SA counts as established from now on.</summary>
    void XauthAccepted(IkeSa sa);

    /// <summary>The peer failed XAUTH: its ISAKMP SA is deleted (with a DELETE) and its instance goes with it.</summary>
    void XauthRefused(IkeSa sa);

    /// <summary>
    /// The mode-config attributes for a client (its REPLY to a pull, or our pushed SET): its leased address (once per
    /// instance) when it <paramref name="wantsAddress"/>, netmask, DNS, split list.
    /// </summary>
    IReadOnlyList<SharpSwan.Ike.V1.Wire.DataAttribute> ModeConfigReply(IkeSa sa, bool wantsAddress);

    /// <summary>
    /// We are a mode-config client (<c>mode-cfg enable</c> on a static phase 1) and phase 1 (with XAUTH) is done: the SA
    /// waits for the server's SET before it counts as established. False when we are no mode-config client.
    /// </summary>
    bool HoldForModeConfig(IkeSa sa);

    /// <summary>We are the mode-config client and acknowledged the server's SET: its address becomes ours.</summary>
    void ModeConfigReceived(IkeSa sa, SharpSwan.Ike.V1.Wire.AttributePayload set);

    /// <summary>The peer's R-U-THERE-ACK (RFC 3706): it answers our outstanding DPD probe when its sequence number is one we sent.</summary>
    void DpdAcknowledged(IkeSa sa, SharpSwan.Ike.V1.Wire.NotificationPayload ack);

    /// <summary>The phase-1 authentication methods we offer and accept, ours first; empty when our certificate is not loaded.</summary>
    IReadOnlyList<ushort> Phase1AuthMethods(TunnelRuntime tunnel);

    /// <summary>Our phase-1 ID: <c>localid</c>, else the certificate's subject DN (signature) or our address.</summary>
    SharpSwan.Ike.V1.Wire.IdentificationPayload OwnIsakmpIdentity(IkeSa sa);

    /// <summary>CR payloads naming the CAs we trust (signature authentication).</summary>
    IEnumerable<SharpSwan.Ike.V1.Wire.CertificateRequestPayload> IsakmpCertificateRequests();

    /// <summary>
    /// Adds our CERT payloads and hands back the SIG over <paramref name="hash"/> to make (maybe on another thread); false
    /// with the reason when our certificate is missing.
    /// </summary>
    bool TryAddIsakmpSignature(IkeSa sa, byte[] hash, List<SharpSwan.Ike.V1.Wire.IsakmpPayload> payloads, [NotNullWhen(true)] out OwnSignature? signature, out string error);

    /// <summary>
    /// The check of the peer's certificate chain and its SIG over <paramref name="hash"/>, to run maybe on another thread;
    /// false with the reason when the message has no SIG. <see cref="AcceptIsakmpSignature"/> gives the verdict.
    /// </summary>
    bool CheckIsakmpSignature(IkeSa sa, SharpSwan.Ike.V1.Wire.IsakmpMessage message, SharpSwan.Ike.V1.Wire.IdentificationPayload id, byte[] hash, [NotNullWhen(true)] out PeerSignatureCheck? check, out string reason);

    /// <summary>The verdict on a checked signature: trust, CRLs, key usage, peer/peergrp, the ID in the certificate, the signature.</summary>
    bool AcceptIsakmpSignature(IkeSa sa, PeerSignatureCheck check, out string reason);

    /// <summary>
    /// Quick mode's 2nd message goes out as responder: the SA is put in the data plane to decrypt at once, sending nothing
    /// until <see cref="CommitChild"/>; it is no child SA of the engine yet. Withdrawn if message 3 never comes.
    /// </summary>
    void PreinstallChild(IkeSa sa, NegotiatedChild negotiated);

    /// <summary>Message 3 committed a preinstalled SA: it becomes a child SA, announced, and carries outbound traffic.</summary>
    ChildSa CommitChild(IkeSa sa, NegotiatedChild negotiated);

    /// <summary>A child SA's place among its phase 2's others: rekey succession and duplicates, as for IKEv2.</summary>
    void SettleChild(IkeSa sa, ChildSa? child, ChildSa? rekeyOf);
}
