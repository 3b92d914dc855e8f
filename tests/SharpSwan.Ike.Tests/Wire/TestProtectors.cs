using SharpSwan.Crypto;

namespace SharpSwan.Ike.Tests.Wire;

/// <summary>
/// Real PacketProtector instances with fixed keys for codec tests. Two calls with the same arguments give a
/// sender and a receiver that share keys, like the two ends of an IKE SA direction.
/// </summary>
internal static class TestProtectors
{
    /// <summary>AES-GCM-16 with a 256-bit key: 8-octet IV, 16-octet ICV, block size 1.</summary>
    public static PacketProtector AesGcm(byte keySeed = 0x10) =>
        PacketProtector.Create(EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None, WireTestData.Bytes(32 + 4, keySeed), [], new SeededRandomSource(1));

    /// <summary>AES-CBC-128 with HMAC-SHA256-128: 16-octet IV, 16-octet ICV, block size 16.</summary>
    public static PacketProtector AesCbcHmac(byte integrityKeySeed = 0x30) =>
        PacketProtector.Create(EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha256_128, WireTestData.Bytes(16, 0x20), WireTestData.Bytes(32, integrityKeySeed), new SeededRandomSource(2));
}
