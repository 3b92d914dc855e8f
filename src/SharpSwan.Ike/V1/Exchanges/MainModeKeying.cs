using System.Net;
using System.Security.Cryptography;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.V1.Keys;
using SharpSwan.Ike.V1.NatTraversal;
using SharpSwan.Ike.V1.Wire;
using V2 = SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// The parts of main mode both roles share: the KE/NONCE/NAT-D message (3 and 4), the RFC 2409 keys once both halves are
/// known, NAT detection (RFC 3947 §3), and the identities and HASH_I/HASH_R of messages 5 and 6.
/// </summary>
internal static class MainModeKeying
{
    public static bool WantsNatT(Phase1Settings settings) => settings.NatTraversal != SharpSwan.Config.NatTraversal.Disable;

    /// <summary>The NAT-T version the peer's phase-1 message announces (RFC 3947 preferred over the drafts); null for none.</summary>
    public static byte[]? PeerNatTVersion(IsakmpMessage message) => NatTraversalVendorIds.Best(message);

    /// <summary>KE | NONCE [| NAT-D(peer) | NAT-D(us)]: with `nattraversal forced` our own hash is random, claiming a NAT.</summary>
    public static List<IsakmpPayload> KeyMaterialPayloads(IkeSa sa, IsakmpSaState v1, byte[] publicValue, byte[] nonce, IRandomSource random)
    {
        var payloads = new List<IsakmpPayload> { new KeyExchangePayload(publicValue), new NoncePayload(nonce) };
        if (v1.PeerNatT && WantsNatT(sa.Tunnel.Settings))
        {
            payloads.AddRange(NatDiscoveryPayloads(sa, v1, random));
        }

        return payloads;
    }

    /// <summary>NAT-D(peer) | NAT-D(us); with `nattraversal forced` our own hash is random, claiming a NAT.</summary>
    public static IsakmpPayload[] NatDiscoveryPayloads(IkeSa sa, IsakmpSaState v1, IRandomSource random)
    {
        var ours = NatDiscoveryHash.Compute(v1.Hash, sa.InitiatorSpi, sa.ResponderSpi, sa.Local);
        if (sa.Tunnel.Settings.NatTraversal == SharpSwan.Config.NatTraversal.Forced)
        {
            random.Fill(ours);
        }

        return [new NatDiscoveryPayload(NatDiscoveryHash.Compute(v1.Hash, sa.InitiatorSpi, sa.ResponderSpi, sa.Remote), v1.DraftNatT), new NatDiscoveryPayload(ours, v1.DraftNatT)];
    }

    /// <summary>
    /// Reads the peer's NAT-D payloads (first: how it sees us, then: itself) and decides whether IKE and ESP move to UDP 4500.
    /// </summary>
    public static void DetectNat(IkeSa sa, IsakmpSaState v1, IsakmpMessage message)
    {
        var hashes = message.All<NatDiscoveryPayload>().ToList();
        if (!v1.PeerNatT || !WantsNatT(sa.Tunnel.Settings) || hashes.Count < 2)
        {
            return;
        }

        var aboutUs = NatDiscoveryHash.Compute(v1.Hash, sa.InitiatorSpi, sa.ResponderSpi, sa.Local);
        var aboutPeer = NatDiscoveryHash.Compute(v1.Hash, sa.InitiatorSpi, sa.ResponderSpi, sa.Remote);
        sa.LocalBehindNat = !CryptographicOperations.FixedTimeEquals(hashes[0].Hash, aboutUs);
        bool peerBehindNat = !hashes.Skip(1).Any(h => CryptographicOperations.FixedTimeEquals(h.Hash, aboutPeer));
        sa.UsesNatTraversal = sa.LocalBehindNat || peerBehindNat || sa.Tunnel.Settings.NatTraversal == SharpSwan.Config.NatTraversal.Forced;
    }

    /// <summary>FortiOS's debug lines for the NAT-T outcome (`selected NAT-T version`, then who is behind a NAT).</summary>
    public static void LogNatT(IExchangeContext context, IkeSa sa, IsakmpSaState v1)
    {
        if (v1.PeerNatT && WantsNatT(sa.Tunnel.Settings))
        {
            context.Log.Sa(Logging.IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"selected NAT-T version: {NatTraversalVendorIds.Name(v1.NatTVendorId!)}");
            context.Log.Sa(Logging.IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, sa.UsesNatTraversal ? $"NAT detected: {(sa.LocalBehindNat ? "me" : "peer")}" : "NAT not detected");
        }
    }

    /// <summary>
    /// The SA takes the keys its phase-1 key exchange derived (on the engine thread): SKEYID and its family, the cipher, and
    /// the phase-1 IV from both KE values; false when the peer's KE was unusable.
    /// </summary>
    public static bool Keyed(IkeSa sa, IsakmpSaState v1, PhaseOneComputation computation)
    {
        if (computation.TakeKeys() is not { } keys)
        {
            return false;
        }

        (v1.PublicI, v1.PublicR) = sa.IsOriginalInitiator
            ? (computation.OwnPublicValue, computation.PeerPublicValue)
            : (computation.PeerPublicValue, computation.OwnPublicValue);
        v1.Keys = keys;
        v1.Cipher = new IsakmpCipher(keys.EncryptionKey);
        v1.PhaseOneIv = IsakmpCipher.PhaseOneIv(v1.Hash, v1.PublicI, v1.PublicR);
        return true;
    }

    /// <summary>Our phase-1 ID from `localid`/`localid-type` (our address by default), as IKEv1 carries it.</summary>
    public static IdentificationPayload LocalId(IkeSa sa)
    {
        var id = IkeIdentities.Local(sa.Tunnel, sa.Local.Address, sa.IsOriginalInitiator);
        return new IdentificationPayload((IsakmpIdType)id.IdType, 0, 0, id.Data);
    }

    /// <summary>Whether the peer's ID is acceptable to the phase 1 (`peertype`/`peerid`), and how to print it.</summary>
    public static bool PeerAccepted(IkeSa sa, IdentificationPayload id, out string identity)
    {
        var asV2 = new V2.IdentificationPayload(!sa.IsOriginalInitiator, (V2.IdType)id.IdType, id.Data);
        return IkeIdentities.PeerAccepted(sa.Tunnel.Settings, asV2, out identity);
    }

    /// <summary>The peer's ID as log lines print it, before there is an SA.</summary>
    public static string Describe(IdentificationPayload id) =>
        IkeIdentities.Describe(new V2.IdentificationPayload(true, (V2.IdType)id.IdType, id.Data));

    /// <summary>The peer's ID as diagnose output and events print it.</summary>
    public static string Describe(IkeSa sa, IdentificationPayload id) =>
        IkeIdentities.Describe(new V2.IdentificationPayload(!sa.IsOriginalInitiator, (V2.IdType)id.IdType, id.Data));

    /// <summary>HASH_I or HASH_R over the given ID body, as the side that sends it computes it.</summary>
    public static byte[] AuthHash(IkeSa sa, IsakmpSaState v1, bool ofInitiator, byte[] idBody) => ofInitiator
        ? v1.Keys!.HashInitiator(v1.PublicI, v1.PublicR, sa.InitiatorSpi, sa.ResponderSpi, v1.OfferBody, idBody)
        : v1.Keys!.HashResponder(v1.PublicI, v1.PublicR, sa.InitiatorSpi, sa.ResponderSpi, v1.OfferBody, idBody);

    /// <summary>Moves both endpoints to the NAT-T port (RFC 3947 §4: the initiator switches for message 5).</summary>
    public static void FloatToNatPort(IkeSa sa, int port)
    {
        sa.Local = new IPEndPoint(sa.Local.Address, port);
        sa.Remote = new IPEndPoint(sa.Remote.Address, port);
    }
}
