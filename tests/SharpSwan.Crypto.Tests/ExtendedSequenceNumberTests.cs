namespace SharpSwan.Crypto.Tests;

/// <summary>
/// Issue 11 item 15, <c>esn</c>: the high-order 32 bits of an ESP sequence number are authenticated by every suite
/// (RFC 4303 §2.2.1: in the AAD for AEAD, after the ciphertext for HMAC), the same way on OpenSSL and on .NET, and a
/// wrong or missing high word fails.
/// </summary>
public sealed class ExtendedSequenceNumberTests
{
    private const int HeaderLength = 8;

    public static TheoryData<EncryptionAlgorithm, int, IntegrityAlgorithm> AllSuites => PacketProtectorTests.AllSuites;

    [Theory]
    [MemberData(nameof(AllSuites))]
    [InlineData(EncryptionAlgorithm.TripleDes, 192, IntegrityAlgorithm.HmacSha1_96)]
    [InlineData(EncryptionAlgorithm.Null, 0, IntegrityAlgorithm.HmacSha256_128)]
    public void The_high_word_is_authenticated_alike_on_both_backends(EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity)
    {
        using var native = OpenSslBackendTests.CreateProtector(encryption, keyBits, integrity, CryptoBackend.Preferred, seed: 21);
        using var managed = OpenSslBackendTests.CreateProtector(encryption, keyBits, integrity, CryptoBackend.Managed, seed: 21);
        using var plain = OpenSslBackendTests.CreateProtector(encryption, keyBits, integrity, CryptoBackend.Managed, seed: 21);
        var payloadLength = 4 * native.BlockSize * 16;
        var message = new byte[HeaderLength + native.IvSize + payloadLength + native.IcvSize];
        new Random(5).NextBytes(message);
        var fromNative = message.ToArray();
        var fromManaged = message.ToArray();
        var without = message.ToArray();
        var high = SequenceHigh.Of(0x0000_0001);

        native.Seal(fromNative, HeaderLength, payloadLength, high);
        managed.Seal(fromManaged, HeaderLength, payloadLength, high);
        plain.Seal(without, HeaderLength, payloadLength);

        Assert.Equal(fromManaged, fromNative);
        Assert.NotEqual(without.AsSpan(^native.IcvSize..).ToArray(), fromNative.AsSpan(^native.IcvSize..).ToArray());
        Assert.False(managed.TryOpen(fromNative.ToArray(), HeaderLength, payloadLength, SequenceHigh.Of(0x0000_0002)));
        Assert.False(managed.TryOpen(fromNative.ToArray(), HeaderLength, payloadLength));
        Assert.False(native.TryOpen(fromManaged.ToArray(), HeaderLength, payloadLength, SequenceHigh.Of(0)));
        var opened = fromNative.ToArray();
        Assert.True(managed.TryOpen(opened, HeaderLength, payloadLength, high));
        Assert.Equal(message.AsSpan(HeaderLength + native.IvSize, payloadLength).ToArray(), opened.AsSpan(HeaderLength + native.IvSize, payloadLength).ToArray());
        Assert.Equal(fromNative.AsSpan(^native.IcvSize..).ToArray(), opened.AsSpan(^native.IcvSize..).ToArray());
        Assert.True(native.TryOpen(fromManaged, HeaderLength, payloadLength, high));
    }

    [Fact]
    public void With_esn_the_header_must_be_the_esp_one()
    {
        using var protector = OpenSslBackendTests.CreateProtector(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, CryptoBackend.Preferred, seed: 2);
        var message = new byte[12 + protector.IvSize + 16 + protector.IcvSize];

        Assert.Throws<ArgumentException>(() => protector.Seal(message, 12, 16, SequenceHigh.Of(1)));
        Assert.False(protector.TryOpen(message, 12, 16, SequenceHigh.Of(1)));
    }
}
