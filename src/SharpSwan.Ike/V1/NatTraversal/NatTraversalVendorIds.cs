using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.NatTraversal;

/// <summary>
/// The vendor IDs that announce IKEv1 NAT traversal: RFC 3947's, and those of the drafts peers still send
/// (draft-ietf-ipsec-nat-t-ike-02, the same with a trailing newline, -03: MD5 of those names). When only a draft was
/// announced by both ends, NAT-D and NAT-OA travel as payloads 130/131 and UDP-encapsulated tunnels as mode 61443.
/// </summary>
internal static class NatTraversalVendorIds
{
    public static readonly byte[] Rfc3947 = Convert.FromHexString("4A131C81070358455C5728F20E95452F");

    public static readonly byte[] Draft03 = Convert.FromHexString("7D9419A65310CA6F2C179D9215529D56");

    public static readonly byte[] Draft02 = Convert.FromHexString("CD60464335DF21F87CFDB2FC68B6A448");

    /// <summary>draft-ietf-ipsec-nat-t-ike-02 with a newline, as some implementations hashed the name.</summary>
    public static readonly byte[] Draft02Newline = Convert.FromHexString("90CB80913EBB696E086381B5EC427B1F");

    // Preference when the peer announces several: the RFC, then the newest draft.
    private static readonly (byte[] Id, string Name)[] Known =
    [
        (Rfc3947, "RFC 3947"),
        (Draft03, "draft-ietf-ipsec-nat-t-ike-03"),
        (Draft02, "draft-ietf-ipsec-nat-t-ike-02"),
        (Draft02Newline, "draft-ietf-ipsec-nat-t-ike-02\\n"),
    ];

    /// <summary>What our first message announces: every version we speak, the RFC first.</summary>
    public static IEnumerable<VendorIdPayload> Offer() => Known.Select(k => new VendorIdPayload(k.Id));

    /// <summary>The best NAT-T version <paramref name="message"/> announces; null when it announces none.</summary>
    public static byte[]? Best(IsakmpMessage message)
    {
        var sent = message.All<VendorIdPayload>().ToList();
        return Known.Select(k => k.Id).FirstOrDefault(id => sent.Any(v => v.Data.AsSpan().SequenceEqual(id)));
    }

    public static bool IsDraft(byte[]? vendorId) => vendorId is not null && !vendorId.AsSpan().SequenceEqual(Rfc3947);

    /// <summary>The version's name as the `selected NAT-T version` debug line prints it.</summary>
    public static string Name(byte[] vendorId) => Known.FirstOrDefault(k => k.Id.AsSpan().SequenceEqual(vendorId)).Name ?? "unknown";
}
