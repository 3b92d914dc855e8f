using SharpSwan.Crypto.Native;

namespace SharpSwan.Crypto.Tests;

/// <summary>
/// Issue 14, item 1: the protectors on OpenSSL's libcrypto directly produce exactly what .NET's implementation
/// produces, each opens what the other sealed, and any change to a sealed message is refused by both.
/// </summary>
public sealed class OpenSslBackendTests
{
    public static TheoryData<EncryptionAlgorithm, int, IntegrityAlgorithm> AllSuites => PacketProtectorTests.AllSuites;

    [Theory]
    [MemberData(nameof(AllSuites))]
    public void Create_uses_libcrypto_directly_on_linux(EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity)
    {
        Assert.True(OperatingSystem.IsLinux(), "these tests run where the gateway runs");
        Assert.True(OpenSsl.IsAvailable);
        using var protector = CreateProtector(encryption, keyBits, integrity, CryptoBackend.Preferred, seed: 3);
        Assert.Equal(CryptoBackend.OpenSsl, protector.Backend);
        using var managed = CreateProtector(encryption, keyBits, integrity, CryptoBackend.Managed, seed: 3);
        Assert.Equal(CryptoBackend.Managed, managed.Backend);
    }

    [Theory]
    [MemberData(nameof(AllSuites))]
    public void OpenSsl_and_dotnet_agree_on_random_messages_of_many_sizes(
        EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity)
    {
        // Same seed, same key material and the same IV sequence on both sides: the sealed bytes must be identical.
        using var native = CreateProtector(encryption, keyBits, integrity, CryptoBackend.OpenSsl, seed: 11);
        using var managed = CreateProtector(encryption, keyBits, integrity, CryptoBackend.Managed, seed: 11);
        var inputs = new Random(42);
        for (var round = 0; round < 300; round++)
        {
            var aadLength = round % 3 == 0 ? 12 : 8;
            var payloadLength = PayloadLength(round, inputs, native.BlockSize);
            var message = new byte[aadLength + native.IvSize + payloadLength + native.IcvSize];
            inputs.NextBytes(message.AsSpan(0, message.Length - native.IcvSize));
            var plaintext = message.AsSpan(aadLength + native.IvSize, payloadLength).ToArray();
            var fromNative = message.ToArray();
            var fromManaged = message.ToArray();

            native.Seal(fromNative, aadLength, payloadLength);
            managed.Seal(fromManaged, aadLength, payloadLength);
            Assert.Equal(fromManaged, fromNative);

            AssertTamperingRefused(native, managed, fromNative, aadLength, payloadLength, inputs);

            var openedByManaged = fromNative.ToArray();
            Assert.True(managed.TryOpen(openedByManaged, aadLength, payloadLength), $"round {round}, {payloadLength} B");
            Assert.Equal(plaintext, openedByManaged.AsSpan(aadLength + native.IvSize, payloadLength).ToArray());
            var openedByNative = fromManaged.ToArray();
            Assert.True(native.TryOpen(openedByNative, aadLength, payloadLength), $"round {round}, {payloadLength} B");
            Assert.Equal(plaintext, openedByNative.AsSpan(aadLength + native.IvSize, payloadLength).ToArray());
        }
    }

    [Theory]
    [InlineData(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None)]
    [InlineData(EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha256_128)]
    public void Messages_much_larger_than_a_packet_agree_too(
        EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity)
    {
        using var native = CreateProtector(encryption, keyBits, integrity, CryptoBackend.OpenSsl, seed: 5);
        using var managed = CreateProtector(encryption, keyBits, integrity, CryptoBackend.Managed, seed: 5);
        var payloadLength = 20 * 1024; // an IKE message with many certificates
        var message = new byte[8 + native.IvSize + payloadLength + native.IcvSize];
        new Random(9).NextBytes(message);
        var fromNative = message.ToArray();
        var fromManaged = message.ToArray();

        native.Seal(fromNative, 8, payloadLength);
        managed.Seal(fromManaged, 8, payloadLength);

        Assert.Equal(fromManaged, fromNative);
        Assert.True(native.TryOpen(fromManaged, 8, payloadLength));
        Assert.Equal(message.AsSpan(8 + native.IvSize, payloadLength).ToArray(), fromManaged.AsSpan(8 + native.IvSize, payloadLength).ToArray());
    }

    [Fact]
    public void A_refused_aead_message_leaves_no_plaintext_behind()
    {
        using var sender = CreateProtector(EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None, CryptoBackend.OpenSsl, seed: 8);
        using var receiver = CreateProtector(EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None, CryptoBackend.OpenSsl, seed: 8);
        var message = new byte[8 + 8 + 100 + 16];
        message.AsSpan(16, 100).Fill(0xAB);
        sender.Seal(message, 8, 100);
        message[^1] ^= 0x80;

        Assert.False(receiver.TryOpen(message, 8, 100));
        Assert.All(message.AsSpan(16, 100).ToArray(), b => Assert.Equal(0, b));

        // The refusal leaves the context usable for the next packet.
        var next = new byte[8 + 8 + 100 + 16];
        sender.Seal(next, 8, 100);
        Assert.True(receiver.TryOpen(next, 8, 100));
    }

    private static int PayloadLength(int round, Random inputs, int blockSize)
    {
        int[] fixedSizes = [0, 1, 15, 16, 17, 63, 64, 1372, 1400, 1500, 2048, 9000];
        var length = round < fixedSizes.Length ? fixedSizes[round] : inputs.Next(0, 2100);
        return length / blockSize * blockSize;
    }

    private static void AssertTamperingRefused(
        PacketProtector native, PacketProtector managed, byte[] sealedMessage, int aadLength, int payloadLength, Random inputs)
    {
        var icvStart = aadLength + native.IvSize + payloadLength;
        // One flip in the ICV and one anywhere else that is authenticated.
        int[] positions = [icvStart + inputs.Next(native.IcvSize), inputs.Next(icvStart)];
        foreach (var position in positions)
        {
            var bit = (byte)(1 << inputs.Next(8));
            var forNative = sealedMessage.ToArray();
            var forManaged = sealedMessage.ToArray();
            forNative[position] ^= bit;
            forManaged[position] ^= bit;
            Assert.False(native.TryOpen(forNative, aadLength, payloadLength), $"OpenSSL accepted a flip at byte {position}");
            Assert.False(managed.TryOpen(forManaged, aadLength, payloadLength), $".NET accepted a flip at byte {position}");
        }
    }

    internal static PacketProtector CreateProtector(
        EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity, CryptoBackend backend, int seed)
    {
        var random = new SeededRandomSource(seed);
        var keyMaterial = new byte[PacketProtector.EncryptionKeyMaterialLength(encryption, keyBits)];
        var integrityKey = new byte[PacketProtector.IntegrityKeyLength(integrity)];
        random.Fill(keyMaterial);
        random.Fill(integrityKey);
        return PacketProtector.Create(encryption, keyBits, integrity, keyMaterial, integrityKey, random, backend);
    }
}
