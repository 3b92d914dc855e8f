using System.Security.Cryptography;
using SharpSwan.Crypto;
using SharpSwan.Ike.V1.Keys;
using SharpSwan.Ike.V1.NatTraversal;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// What an IKE SA needs beyond the IKEv2 fields when it is an ISAKMP SA (IKEv1): the phase-1 exchange in progress, the
/// RFC 2409 keys and cipher, the CBC IV of every exchange, quick modes in flight and the answers kept for repeated messages.
/// </summary>
internal sealed class IsakmpSaState : IDisposable
{
    /// <summary>Main-mode step: the number of the last message sent or received (1..6); 6 means phase 1 is done.</summary>
    public int Step { get; set; }

    public Phase1HashAlgorithm Hash { get; set; }

    public int KeyBytes { get; set; }

    public uint LifetimeSeconds { get; set; }

    /// <summary>The chosen transform's authentication method (<see cref="Phase1Proposals.PreSharedKey"/> unless a signature one).</summary>
    public ushort AuthMethod { get; set; } = Phase1Proposals.PreSharedKey;

    /// <summary>SAi_b: the body of the initiator's SA payload, which HASH_I and HASH_R cover.</summary>
    public byte[] OfferBody { get; set; } = [];

    public KeyExchange? Dh { get; set; }

    public byte[] PublicI { get; set; } = [];

    public byte[] PublicR { get; set; } = [];

    public IsakmpSaKeys? Keys { get; set; }

    public IsakmpCipher? Cipher { get; set; }

    /// <summary>The CBC chain of phase 1 (main mode messages 5 and 6).</summary>
    public byte[] PhaseOneIv { get; set; } = [];

    /// <summary>The peer announced NAT traversal (RFC 3947 or a draft).</summary>
    public bool PeerNatT => NatTVendorId is not null;

    /// <summary>The NAT-T version in use: the best vendor ID the peer's phase-1 message announced (null: none).</summary>
    public byte[]? NatTVendorId { get; set; }

    /// <summary>Only a NAT-T draft was agreed: NAT-D/NAT-OA are payloads 130/131, UDP tunnels mode 61443.</summary>
    public bool DraftNatT => NatTraversalVendorIds.IsDraft(NatTVendorId);

    /// <summary>The peer announced RFC 3706 dead peer detection, so it answers our R-U-THERE.</summary>
    public bool PeerDpd { get; set; }

    /// <summary>The sequence number of our last R-U-THERE (RFC 3706 §5.5: each one increments it).</summary>
    public uint DpdSequence { get; set; }

    /// <summary>The first sequence number of the probes still unanswered: an ACK of any of them counts.</summary>
    public uint DpdFirstUnanswered { get; set; }

    /// <summary>CBC state of each quick mode and informational exchange, by message ID.</summary>
    public Dictionary<uint, byte[]> ExchangeIvs { get; } = [];

    /// <summary>Quick modes in flight (ours waiting for message 2, the peer's waiting for message 3), by message ID.</summary>
    public Dictionary<uint, QuickModeState> QuickModes { get; } = [];

    /// <summary>Our answer to each message we answered, by a hash of that message: a repeat gets the same bytes.</summary>
    public Dictionary<string, byte[]> Answers { get; } = [];

    /// <summary>Message IDs of exchanges that ended, so that a late repeat is not taken for a new exchange.</summary>
    public HashSet<uint> Finished { get; } = [];

    /// <summary>The new ISAKMP SA we are negotiating to replace this one at its keylife (its IPsec SAs carry over).</summary>
    public Engine.IkeSa? Renewal { get; set; }

    /// <summary>Aggressive mode: the peer's ID payload (message 1), whose body the initiator's HASH_I (and SIG_I) covers.</summary>
    public Wire.IdentificationPayload? PeerId { get; set; }

    /// <summary>XAUTH (we are its server) is under way: the peer's quick modes wait until it passed.</summary>
    public bool XauthPending { get; set; }

    /// <summary>Our XAUTH RADIUS-CHAP challenge (<c>xauthtype chap</c>), kept until the client's REPLY is checked.</summary>
    public byte[]? XauthChallenge { get; set; }

    /// <summary>As the mode-config server: the client pulled (we answered its REQUEST) or we pushed our SET; no push is due.</summary>
    public bool ModeConfigSettled { get; set; }

    /// <summary>As the mode-config client: we wait for the server's SET, and quick mode waits for its address.</summary>
    public bool ModeConfigPending { get; set; }

    /// <summary>The peer's phase 1 said INITIAL-CONTACT: kept for when XAUTH lets the SA count as established.</summary>
    public bool InitialContact { get; set; }

    /// <summary>This SA was replaced by our own renewal: it is deleted (with an ISAKMP DELETE) once no exchange is left on it.</summary>
    public bool RetireWhenQuiet { get; set; }

    /// <summary>The IV of a new exchange (quick mode, informational) from the last phase-1 block, kept per message ID.</summary>
    public byte[] IvFor(uint messageId)
    {
        if (!ExchangeIvs.TryGetValue(messageId, out var iv))
        {
            iv = IsakmpCipher.PhaseTwoIv(Hash, PhaseOneIv, messageId);
            ExchangeIvs[messageId] = iv;
        }

        return iv;
    }

    public static string Fingerprint(ReadOnlySpan<byte> datagram) => Convert.ToHexString(SHA256.HashData(datagram));

    public void Dispose()
    {
        Dh?.Dispose();
        Dh = null;
        Keys?.Dispose();
        Cipher?.Dispose();
        foreach (var quick in QuickModes.Values)
        {
            quick.Dispose();
        }

        QuickModes.Clear();
    }
}
