using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Vendor IDs of phase 1 that change what the exchanges do: RFC 3706 dead peer detection (both ends announce it before
/// either sends R-U-THERE) and the XAUTH marker peers such as strongSwan send before a second authentication round.
/// </summary>
internal static class IsakmpVendorIds
{
    /// <summary>RFC 3706 §7: the DPD vendor ID with major version 1, minor 0.</summary>
    public static readonly byte[] Dpd = Convert.FromHexString("AFCAD71368A1F1C96B8696FC77570100");

    /// <summary>The draft XAUTH vendor ID (draft-ietf-ipsec-isakmp-xauth), sent by clients and servers that speak it.</summary>
    public static readonly byte[] Xauth = Convert.FromHexString("09002689DFD6B712");

    public static bool Sent(IsakmpMessage message, byte[] vendorId) =>
        message.All<VendorIdPayload>().Any(v => v.Data.AsSpan().SequenceEqual(vendorId));

    /// <summary>
    /// The vendor IDs every phase-1 first message of ours carries: DPD always, because we answer R-U-THERE whatever the
    /// phase 1's `dpd` says (only our own probes follow it).
    /// </summary>
    public static IEnumerable<IsakmpPayload> Ours() => [new VendorIdPayload(Dpd)];

    /// <summary>Records what the peer's first phase-1 message announced.</summary>
    public static void Read(IsakmpMessage message, IsakmpSaState v1) => v1.PeerDpd = Sent(message, Dpd);
}
