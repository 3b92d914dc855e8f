using System.Buffers.Binary;
using System.Security.Cryptography;
using SharpSwan.Crypto;
using SharpSwan.Testing;

namespace SharpSwan.Esp.Tests;

/// <summary>
/// Issue 11 item 15, <c>esn</c>: 64-bit sequence numbers at the 2^32 boundary. The sender carries on into the high
/// word and sends only the low one; the receiver infers the high word from its window (RFC 4303 Appendix A), its replay
/// window works across the boundary, and a packet whose high word it guesses wrong fails authentication and is counted.
/// </summary>
public sealed class ExtendedSequenceNumberTests
{
    private const ulong Boundary = 1UL << 32;

    public static TheoryData<EspTransform> EsnTransforms => new()
    {
        Esn(EspTransform.AesGcm128),
        Esn(EspTransform.ChaCha20Poly1305),
        Esn(EspTransform.AesCbc256Sha256),
        new EspTransform(EncryptionAlgorithm.TripleDes, 192, IntegrityAlgorithm.HmacSha1_96, ExtendedSequenceNumbers: true),
        new EspTransform(EncryptionAlgorithm.Null, 0, IntegrityAlgorithm.HmacSha256_128, ExtendedSequenceNumbers: true),
    };

    [Theory]
    [MemberData(nameof(EsnTransforms))]
    public void Outbound_wraps_into_the_high_word_and_inbound_infers_it(EspTransform transform)
    {
        using var pair = new SaPair(transform);
        pair.Outbound.SetLastSentSequenceNumber(uint.MaxValue - 1);

        uint[] wire = [uint.MaxValue, 0, 1];
        foreach (var low in wire)
        {
            var packet = pair.Encapsulate(Packets.IPv4(60, (int)low));
            Assert.Equal(low, BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(4)));
            Assert.Equal(EspResult.Ok, pair.Inbound.Decapsulate(packet, out _, out _, out _));
        }

        Assert.Equal(Boundary + 1, pair.Outbound.LastSequenceNumber);
        Assert.Equal(Boundary + 1, pair.Inbound.LastSequenceNumber);
        Assert.Equal(3, pair.Inbound.Packets);
        Assert.Equal(0, pair.Inbound.AuthenticationFailures);
        Assert.False(pair.Outbound.SequenceNearLimit);
    }

    [Fact]
    public void The_replay_window_spans_the_boundary()
    {
        using var pair = new SaPair(Esn(EspTransform.AesGcm128), windowSize: 64);
        pair.Outbound.SetLastSentSequenceNumber(Boundary - 3);
        var packets = Enumerable.Range(0, 5).Select(i => pair.Encapsulate(Packets.IPv4(50, i))).ToList(); // 2^32-2 .. 2^32+2

        foreach (var index in new[] { 0, 2, 4, 1, 3 })
        {
            Assert.Equal(EspResult.Ok, pair.Inbound.Decapsulate(packets[index].ToArray(), out _, out _, out _));
        }

        Assert.Equal(EspResult.Replayed, pair.Inbound.Decapsulate(packets[1].ToArray(), out _, out _, out _));
        Assert.Equal(EspResult.Replayed, pair.Inbound.Decapsulate(packets[2].ToArray(), out _, out _, out _));
        Assert.Equal(2, pair.Inbound.ReplayDrops);
        Assert.Equal(Boundary + 2, pair.Inbound.LastSequenceNumber);
        Assert.Equal(0, pair.Inbound.AuthenticationFailures);
    }

    [Theory]
    [MemberData(nameof(EsnTransforms))]
    public void A_wrong_guess_of_the_high_word_fails_authentication_and_is_counted(EspTransform transform)
    {
        using var pair = new SaPair(transform);
        Assert.Equal(EspResult.Ok, pair.Inbound.Decapsulate(pair.Encapsulate(Packets.IPv4(40)), out _, out _, out _));

        // The sender is a whole subspace ahead: the low word 2 lies just above the receiver's highest (1), so the receiver
        // takes the high word to be 0 while the sender authenticated 1.
        pair.Outbound.SetLastSentSequenceNumber(Boundary + 1);
        var ahead = pair.Encapsulate(Packets.IPv4(40, 1));
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(ahead.AsSpan(4)));

        Assert.Equal(EspResult.AuthenticationFailed, pair.Inbound.Decapsulate(ahead, out _, out _, out _));
        Assert.Equal(1, pair.Inbound.AuthenticationFailures);
        Assert.Equal(1UL, pair.Inbound.LastSequenceNumber);
    }

    [Fact]
    public void The_counter_runs_out_only_at_2_to_the_64_and_the_soft_point_is_64_bit()
    {
        using var pair = new SaPair(Esn(EspTransform.AesGcm128));
        var buffer = new byte[200];
        pair.Outbound.SetLastSentSequenceNumber(EspSecurityAssociation.SequenceSoftLimit);
        Assert.Equal(EspResult.Ok, pair.Outbound.Encapsulate(Packets.IPv4(40), buffer, out _));
        Assert.False(pair.Outbound.SequenceNearLimit);

        pair.Outbound.SetLastSentSequenceNumber(EspSecurityAssociation.EsnSequenceSoftLimit - 1);
        Assert.Equal(EspResult.Ok, pair.Outbound.Encapsulate(Packets.IPv4(40), buffer, out _));
        Assert.True(pair.Outbound.SequenceNearLimit);

        pair.Outbound.SetLastSentSequenceNumber(ulong.MaxValue - 1);
        Assert.Equal(EspResult.Ok, pair.Outbound.Encapsulate(Packets.IPv4(40), buffer, out _));
        Assert.Equal(EspResult.SequenceOverflow, pair.Outbound.Encapsulate(Packets.IPv4(40), buffer, out var written));
        Assert.Equal(0, written);
        Assert.Equal(1, pair.Outbound.SequenceExhaustedDrops);
    }

    [Fact]
    public void Without_esn_the_counter_cannot_pass_32_bits()
    {
        using var pair = new SaPair(EspTransform.AesGcm128);
        Assert.Throws<ArgumentOutOfRangeException>(() => pair.Outbound.SetLastSentSequenceNumber(Boundary));
        Assert.False(pair.Outbound.ExtendedSequenceNumbers);
    }

    [Fact]
    public void Gcm_authenticates_spi_high_and_low_words_as_rfc_4106_says()
    {
        using var pair = new SaPair(Esn(EspTransform.AesGcm128));
        pair.Outbound.SetLastSentSequenceNumber(Boundary + 6);
        var inner = Packets.IPv4(40);
        var packet = pair.Encapsulate(inner);

        // Independent check with .NET's AES-GCM: nonce = salt | explicit IV, AAD = SPI | seq high | seq low.
        Span<byte> aad = stackalloc byte[12];
        packet.AsSpan(0, 4).CopyTo(aad);
        BinaryPrimitives.WriteUInt32BigEndian(aad[4..], 1);
        packet.AsSpan(4, 4).CopyTo(aad[8..]);
        var nonce = pair.EncryptionKey.AsSpan(16, 4).ToArray().Concat(packet.AsSpan(8, 8).ToArray()).ToArray();
        var ciphertext = packet.AsSpan(16, packet.Length - 32).ToArray();
        var plaintext = new byte[ciphertext.Length];
        using var gcm = new AesGcm(pair.EncryptionKey.AsSpan(0, 16), 16);
        gcm.Decrypt(nonce, ciphertext, packet.AsSpan(^16), plaintext, aad);
        Assert.Equal(inner, plaintext.AsSpan(0, inner.Length).ToArray());
    }

    [Fact]
    public void Hmac_covers_the_high_word_appended_after_the_ciphertext_as_rfc_4303_says()
    {
        using var pair = new SaPair(Esn(EspTransform.AesCbc256Sha256));
        pair.Outbound.SetLastSentSequenceNumber((3 * Boundary) + 9);
        var packet = pair.Encapsulate(Packets.IPv4(40));

        var covered = packet.AsSpan(0, packet.Length - 16).ToArray().Concat(new byte[] { 0, 0, 0, 3 }).ToArray();
        var expected = HMACSHA256.HashData(pair.IntegrityKey, covered).AsSpan(0, 16).ToArray();
        Assert.Equal(expected, packet.AsSpan(^16).ToArray());
    }

    [Theory]
    [MemberData(nameof(EsnTransforms))]
    public void Across_the_boundary_encapsulate_and_decapsulate_do_not_allocate(EspTransform transform)
    {
        using var pair = new SaPair(transform);
        var inner = Packets.IPv4(1400);
        var buffer = new byte[inner.Length + pair.Outbound.MaxOverhead];

        void RoundTrip()
        {
            if (pair.Outbound.Encapsulate(inner, buffer, out var written) != EspResult.Ok
                || pair.Inbound.Decapsulate(buffer.AsSpan(0, written), out _, out _, out _) != EspResult.Ok)
            {
                throw new InvalidOperationException("round trip failed");
            }
        }

        RoundTrip();
        pair.Outbound.SetLastSentSequenceNumber(Boundary - 500);

        // Every batch of 1,000 starts 400 below a boundary (the next one each time), so each crosses one.
        var batchesRun = 0UL;
        void NextBoundary(int batch)
        {
            pair.Outbound.SetLastSentSequenceNumber(((ulong)batch + 1) * Boundary - 400);
            batchesRun++;
        }

        var (allocated, _) = SteadyAllocation.Measure(RoundTrip, warmUp: 100, batchSize: 1000, beforeBatch: NextBoundary);

        Assert.Equal(0, allocated);
        Assert.Equal((batchesRun * Boundary) + 600, pair.Inbound.LastSequenceNumber);
    }

    private static EspTransform Esn(EspTransform transform) => transform with { ExtendedSequenceNumbers = true };
}
