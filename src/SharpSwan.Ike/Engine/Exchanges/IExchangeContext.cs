using System.Net;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// What an exchange may use of the SA manager (<see cref="IkeEngine"/>): the message layer below it (IDs, the window,
/// retransmission), the job queue and timers, the data plane and the event stream through the host, the clock, the random
/// source, the configuration and the debug log, and the few SA-ownership steps an exchange's outcome asks for. Exchanges
/// hold no SA table and no tunnel list of their own; every SA they touch is handed to them.
/// </summary>
internal interface IExchangeContext
{
    DateTimeOffset Now { get; }

    IRandomSource Random { get; }

    IkeLogger Log { get; }

    IkeEngineOptions Options { get; }

    GatewayConfiguration Configuration { get; }

    /// <summary>Sends a request on the SA's window; its answer (or timeout) comes back to the exchange by the request's type.</summary>
    void SendRequest(IkeSa sa, ExchangeType exchange, IReadOnlyList<IkePayload> payloads, string label, SentRequest request, TimeSpan? fixedInterval = null, int? limit = null);

    /// <summary>Sends a dead-peer probe as the SA's version has it, retried every <paramref name="interval"/> up to the request's count.</summary>
    void SendLivenessProbe(IkeSa sa, LivenessRequest request, TimeSpan interval);

    /// <summary>A message outside the window: sent once, never retransmitted.</summary>
    void SendUnreliable(IkeSa sa, ExchangeType exchange, IReadOnlyList<IkePayload> payloads);

    /// <summary>Answers the peer's request (kept for a repeated request).</summary>
    void Respond(IkeSa sa, IkeHeader request, IReadOnlyList<IkePayload> payloads);

    /// <summary>Sends bytes already encoded (IKE_SA_INIT, which has no protection yet) and logs them.</summary>
    void Transmit(IkeSa sa, byte[] bytes, ExchangeType exchange, bool isResponse);

    /// <summary>Runs the job when the SA's window is free.</summary>
    void Enqueue(IkeSa sa, IkeJob job);

    /// <summary>Runs the job at <paramref name="due"/>.</summary>
    void Schedule(DateTimeOffset due, TimedJob job);

    /// <summary>The data plane through the host.</summary>
    IIkeEngineHost Host { get; }

    void Publish(IkeSa sa, IkeEvent e);

    void Publish(TunnelRuntime tunnel, IkeEvent e);

    /// <summary>An event about no tunnel (e.g. a datagram dropped before it matched one).</summary>
    void PublishGlobal(IkeEvent e);

    /// <summary>A request refused before any tunnel took it: logged and published, or during a flood counted and summarised.</summary>
    void RefusePeer(System.Net.IPEndPoint local, System.Net.IPEndPoint remote, string reason, Logging.IkeLogLevel level, string logLine);

    void PublishChildRetired(IkeSa sa, ChildSa child, string reason);

    void PublishIkeRetired(IkeSa sa, string reason);

    void ChildNegotiationFailed(IkeSa sa, string phase2, string reason, NotifyType? notify = null, bool notifySent = false, bool esnRequired = false);

    ulong NewIkeSpi();

    uint NewChildSpi();

    byte[] NewNonce();

    /// <summary>Whether the tunnel's current IKE SA carries a usable child SA for the phase 2.</summary>
    bool HasUsableChild(TunnelRuntime tunnel, string phase2);

    /// <summary>Installs a negotiated child SA on the IKE SA and in the data plane, and publishes it.</summary>
    ChildSa InstallChild(IkeSa sa, NegotiatedChild negotiated);

    /// <summary>Starts a CREATE_CHILD_SA for a phase 2 (a new SA, or the rekey of <paramref name="rekeyOf"/>).</summary>
    void StartCreateChild(IkeSa sa, Phase2Settings phase2, ChildSa? rekeyOf, DiffieHellmanGroup? group = null);

    /// <summary>Starts a DELETE of a child SA (or drops it at once without <paramref name="notifyPeer"/>).</summary>
    void DeleteChild(IkeSa sa, ChildSa child, bool notifyPeer, string reason);

    /// <summary>Deletes <paramref name="old"/> (DELETE sent) once <see cref="Lifecycle.Phase2Lifecycle.CommitGrace"/> has passed, if a rekey replaced it.</summary>
    void DeleteRekeyedLater(IkeSa sa, ChildSa old);

    /// <summary>Takes a child SA out of our state and the data plane, without telling the peer.</summary>
    void RemoveChild(IkeSa sa, ChildSa child, string reason, bool byPeer = false);

    /// <summary>Sends a best-effort DELETE of the IKE SA and drops it.</summary>
    void DeleteIkeSa(IkeSa sa, bool notifyPeer, string reason);

    /// <summary>Negotiation failed or the peer stopped answering: drop the IKE SA and report why.</summary>
    void FailIkeSa(IkeSa sa, string reason, NotifyType? notify = null, NegotiationStage? stage = null);

    /// <summary>Drops the IKE SA with its children.</summary>
    void RemoveIkeSa(IkeSa sa, string reason);

    /// <summary>Starts an IKE SA rekey (queued behind the SA's outstanding exchange).</summary>
    void StartIkeRekey(IkeSa sa, DiffieHellmanGroup? group = null);

    /// <summary>Registers the IKE SA a rekey made (keys derived from the old SA's SK_d); with adopt it takes over at once.</summary>
    IkeSa AddRekeyedSa(IkeSa old, RekeyedIkeSa rekeyed, bool adopt);

    /// <summary>The successor takes over the old IKE SA's children and queued work, and becomes the tunnel's IKE SA.</summary>
    void Adopt(IkeSa old, IkeSa successor);

    /// <summary>IKE SAs that answered an IKE_SA_INIT and wait for IKE_AUTH (COOKIEs are asked for above a threshold).</summary>
    int HalfOpenCount { get; }

    /// <summary>Half-open IKE SAs whose IKE_SA_INIT came from <paramref name="address"/>.</summary>
    int HalfOpenFrom(IPAddress address);

    /// <summary>The IKE_SA_INIT flood limits in force (configuration, or the engine options' override).</summary>
    IkeInitLimits InitLimits { get; }

    /// <summary>A responder IKE SA for an IKE_SA_INIT we answer, not registered yet (see <see cref="AddHalfOpen"/>).</summary>
    IkeSa NewResponderSa(TunnelRuntime tunnel, IPEndPoint local, IPEndPoint remote, ulong initiatorSpi, byte[] datagram, byte[] nonceI);

    /// <summary>
    /// Registers a half-open responder SA (a repeated request gets its answer again once there is one, and nothing while
    /// its key exchange is still being computed).
    /// </summary>
    void AddHalfOpen(IkeSa sa);

    /// <summary>
    /// Runs an exchange step's public-key work where the host wants it (inline, or on a worker thread) and completes it on
    /// the engine thread; nothing addressed to the SA is processed in between.
    /// </summary>
    void Compute(EngineComputation computation);

    /// <summary>Whether a dial-up phase 1 on this address uses certificates (then our IKE_SA_INIT answer carries CERTREQ).</summary>
    bool AnyDialupUsesSignature(IPAddress local);

    /// <summary>Whether this is the only live IKE SA of its tunnel (then IKE_AUTH carries INITIAL_CONTACT).</summary>
    bool IsOnlySaOfTunnel(IkeSa sa);

    /// <summary>The dial-up phase 1 a peer's AUTH method and identity pick; null when none accepts it.</summary>
    TunnelRuntime? ChooseDialupTemplate(TunnelRuntime first, IPAddress local, Wire.AuthMethod method, IdentificationPayload id);

    /// <summary>A dial-up peer authenticated: its own instance and mode-cfg lease; null when refused (answered and deleted).</summary>
    TunnelRuntime? AdmitDialupPeer(IkeSa sa, IkeMessage message, string identity, bool initialContact, List<IkePayload> payloads);

    /// <summary>The IKE SA is established: it becomes the tunnel's, replacing what it supersedes, and is published.</summary>
    void MarkEstablished(IkeSa sa, bool initialContact);

    /// <summary>Requests the phase 2s that waited for this IKE SA to come up.</summary>
    void RequestWantedPhase2(IkeSa sa, bool skipUsable);

    /// <summary>Runs the jobs queued on the SA while its window is free.</summary>
    void PumpQueue(IkeSa sa);
}
