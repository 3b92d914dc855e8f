using System.Buffers.Binary;
using SharpSwan.Crypto;

namespace SharpSwan.Ike.V1.Keys;

/// <summary>
/// The authenticating hashes of quick mode (RFC 2409 §5.5) and of informational exchanges (§5.7), keyed with
/// SKEYID_a. "Payloads" is always the encoded chain after the HASH payload, as it travels.
/// </summary>
public static class QuickModeHashes
{
    /// <summary>HASH(1) = prf(SKEYID_a, M-ID | SA | Ni [| KE] [| IDci | IDcr]); also the informational HASH.</summary>
    public static byte[] First(Prf prf, ReadOnlySpan<byte> skeyidA, uint messageId, ReadOnlySpan<byte> payloads) =>
        prf.Compute(skeyidA, IsakmpSaKeys.Concat(MessageId(messageId), payloads));

    /// <summary>HASH(2) = prf(SKEYID_a, M-ID | Ni_b | SA | Nr [| KE] [| IDci | IDcr]).</summary>
    public static byte[] Second(Prf prf, ReadOnlySpan<byte> skeyidA, uint messageId, ReadOnlySpan<byte> nonceI, ReadOnlySpan<byte> payloads) =>
        prf.Compute(skeyidA, IsakmpSaKeys.Concat(MessageId(messageId), nonceI, payloads));

    /// <summary>HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b).</summary>
    public static byte[] Third(Prf prf, ReadOnlySpan<byte> skeyidA, uint messageId, ReadOnlySpan<byte> nonceI, ReadOnlySpan<byte> nonceR) =>
        prf.Compute(skeyidA, IsakmpSaKeys.Concat([0], MessageId(messageId), nonceI, nonceR));

    private static byte[] MessageId(uint messageId)
    {
        var octets = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(octets, messageId);
        return octets;
    }
}
