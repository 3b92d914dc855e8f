using System.Net;
using SharpSwan.Crypto;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// One IKE SA: keys, message-ID windows, endpoints and the child SAs it owns. Protocol logic lives in IkeEngine;
/// this class is state only.
/// </summary>
public sealed class IkeSa : IDisposable
{
    private TunnelRuntime _tunnel = null!;

    /// <summary>The phase 1 it belongs to; a dial-up responder moves from the template to its own instance once authenticated.</summary>
    public required TunnelRuntime Tunnel
    {
        get => _tunnel;
        set
        {
            // The tunnel's own list of SAs follows the move, so per-tunnel lookups never walk the whole table.
            if (InTable && _tunnel != value)
            {
                _tunnel?.Sas.Remove(this);
                value.Sas.Add(this);
            }

            _tunnel = value;
        }
    }

    /// <summary>In the engine's SA table (set by <see cref="IkeSaTable"/>).</summary>
    internal bool InTable { get; set; }

    /// <summary>Order of arrival in the SA table: same-instant timers run in this order, as the old full walk did.</summary>
    internal long TableSequence { get; set; }

    /// <summary>The due time this SA holds in the engine's timer queue (null: none queued).</summary>
    internal DateTimeOffset? TimerDue { get; set; }

    /// <summary>Where the table registered it as half-open (the peer may move to UDP 4500 before it leaves that state).</summary>
    internal (IPEndPoint Remote, ulong Spi)? HalfOpenKey { get; set; }

    public required int Serial { get; init; }

    /// <summary>True when we sent the IKE_SA_INIT that created it (the "original initiator" of RFC 7296).</summary>
    public required bool IsOriginalInitiator { get; init; }

    public required ulong InitiatorSpi { get; init; }

    public ulong ResponderSpi { get; set; }

    public ulong LocalSpi => IsOriginalInitiator ? InitiatorSpi : ResponderSpi;

    public IkeSaState State { get; set; }

    public required IPEndPoint Local { get; set; }

    public required IPEndPoint Remote { get; set; }

    /// <summary>IKE and ESP run over UDP 4500 (NAT found, or nattraversal forced).</summary>
    public bool UsesNatTraversal { get; set; }

    public bool LocalBehindNat { get; set; }

    public IkeSuite? Suite { get; set; }

    public IkeSaKeys? Keys { get; set; }

    public PacketProtector? Inbound { get; set; }

    public PacketProtector? Outbound { get; set; }

    public byte[] NonceInitiator { get; set; } = [];

    public byte[] NonceResponder { get; set; } = [];

    /// <summary>The IKE_SA_INIT request and response bytes, signed by AUTH.</summary>
    public byte[] InitRequest { get; set; } = [];

    public byte[] InitResponse { get; set; } = [];

    public KeyExchange? PendingKeyExchange { get; set; }

    public DiffieHellmanGroup InitGroup { get; set; }

    public byte[]? Cookie { get; set; }

    /// <summary>Both ends announced IKEV2_FRAGMENTATION_SUPPORTED in IKE_SA_INIT (RFC 7383 §2.3); a rekeyed SA inherits it.</summary>
    public bool FragmentationAgreed { get; set; }

    /// <summary>The peer's partial fragmented messages, made when its first fragment arrives.</summary>
    internal FragmentReassembly? Reassembly { get; set; }

    public int InitAttempts { get; set; }

    /// <summary>Message IDs, the outstanding request and the jobs waiting for it to end.</summary>
    internal MessageWindow Window { get; } = new();

    /// <summary>The ID our next request will carry.</summary>
    public uint NextRequestId => Window.NextRequestId;

    /// <summary>The ID the peer's next request must carry.</summary>
    public uint NextExpectedRequestId => Window.NextExpectedRequestId;

    public List<ChildSa> Children { get; } = [];

    /// <summary>Phase 2s to create right after authentication (the first goes into IKE_AUTH).</summary>
    public List<string> WantedPhase2 { get; } = [];

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? EstablishedAt { get; set; }

    public DateTimeOffset? RekeyAt { get; set; }

    public DateTimeOffset LastInbound { get; set; }

    public DateTimeOffset? DeleteBy { get; set; }

    /// <summary>Our IKE SA rekey request is in flight on this SA.</summary>
    public bool IkeRekeyInProgress { get; set; }

    /// <summary>The peer's rekey of this SA that crossed ours (RFC 7296 §2.8.2); decided when our answer arrives.</summary>
    public IkeSa? CollidingSuccessor { get; set; }

    /// <summary>The lowest nonce of the exchange that created this SA (for collision decisions).</summary>
    public byte[] LowestNonce { get; set; } = [];

    /// <summary>When the last dead-peer-detection probe was sent.</summary>
    public DateTimeOffset? LastDpdProbe { get; set; }

    /// <summary>
    /// How many times our outstanding DPD probe went unanswered and was sent again (FortiOS's `dpd: ... count=`): what an
    /// admin watches while a peer is being declared dead; 0 when no probe is out.
    /// </summary>
    public int DpdFailures => Window.Outstanding is { Request: Exchanges.LivenessRequest } probe ? probe.Retransmits : 0;

    public string PeerIdentity { get; set; } = string.Empty;

    /// <summary>Hash algorithms the peer accepts for RFC 7427 signatures (its SIGNATURE_HASH_ALGORITHMS notify).</summary>
    public IReadOnlyList<SharpSwan.Crypto.Certificates.SignatureHash> PeerSignatureHashes { get; set; } = [];

    /// <summary>The peer's end-entity certificate, once its signature checked out.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? PeerCertificate { get; set; }

    /// <summary>The ISAKMP state when this is an IKEv1 SA; null for IKEv2.</summary>
    internal V1.Exchanges.IsakmpSaState? V1 { get; set; }

    /// <summary>The public-key work this SA waits for (maybe computed on another thread); null otherwise.</summary>
    internal EngineComputation? Computing { get; set; }

    /// <summary>Datagrams that came while <see cref="Computing"/> was set, to be taken once it is back; null when none are held.</summary>
    internal HeldDatagrams? Held { get; set; }

    /// <summary>A request of ours may go out now: none is outstanding, and no computation is awaited (steps keep their order).</summary>
    internal bool MaySendRequest => Window.IsFree && Computing is null;

    /// <summary>
    /// IKE_AUTH is over both ways (IKEv2): drops what only IKE_SA_INIT and AUTH needed, so an established SA holds no
    /// setup data (issue 14): the two IKE_SA_INIT messages and the nonces AUTH signs, the cookie, the peer's
    /// signature-hash list, and every key but SK_d (the ciphers hold their own). A repeated IKE_AUTH request is still
    /// answered from the message window's cached answer, and rekeys bring their own nonces.
    /// </summary>
    internal void ForgetSetupMaterial()
    {
        InitRequest = [];
        InitResponse = [];
        NonceInitiator = [];
        NonceResponder = [];
        Cookie = null;
        PeerSignatureHashes = [];
        Keys?.ForgetAllButSkD();
    }

    public string Direction => IsOriginalInitiator ? "initiator" : "responder";

    public string SpiText => $"{InitiatorSpi:x16}/{ResponderSpi:x16}";

    /// <summary>Wipes the SA's keys and DH secret and disposes its ciphers (issue 11: key material goes with its SA).</summary>
    public void Dispose()
    {
        PendingKeyExchange?.Dispose();
        PendingKeyExchange = null;
        Inbound?.Dispose();
        Outbound?.Dispose();
        Inbound = null;
        Outbound = null;
        Keys?.Wipe();
        V1?.Dispose();
        Reassembly?.Clear();
        Reassembly = null;
        Held = null;
    }
}
