using System.Buffers.Binary;
using System.Security.Cryptography;
using SharpSwan.Crypto;
using SharpSwan.Ike.Keys;

namespace SharpSwan.Ike.V1.Keys;

/// <summary>
/// ESP keys of one quick mode (RFC 2409 §5.5): per SA, KEYMAT = K1 | K2 | ... with
/// K1 = prf(SKEYID_d, [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b) and Kn = prf(SKEYID_d, Kn-1 | [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b).
/// Each SA is keyed with the SPI its receiver chose, so our inbound SA uses our SPI. KEYMAT is split encryption
/// key (with the GCM salt) first, integrity key second.
/// </summary>
public sealed class QuickModeKeys
{
    public const byte ProtocolEsp = 3;

    private QuickModeKeys(byte[] inEnc, byte[] inInteg, byte[] outEnc, byte[] outInteg)
    {
        InboundEncryption = inEnc;
        InboundIntegrity = inInteg;
        OutboundEncryption = outEnc;
        OutboundIntegrity = outInteg;
    }

    public byte[] InboundEncryption { get; }

    public byte[] InboundIntegrity { get; }

    public byte[] OutboundEncryption { get; }

    public byte[] OutboundIntegrity { get; }

    /// <param name="pfsSecret">g(qm)^xy of the quick-mode KE exchange; empty without PFS.</param>
    public static QuickModeKeys Derive(Prf prf, ReadOnlySpan<byte> skeyidD, ChildSuite suite, ReadOnlySpan<byte> pfsSecret,
        uint inboundSpi, uint outboundSpi, ReadOnlySpan<byte> nonceI, ReadOnlySpan<byte> nonceR)
    {
        int encLength = PacketProtector.EncryptionKeyMaterialLength(suite.Encryption, suite.KeyBits);
        int integLength = suite.Integrity == IntegrityAlgorithm.None ? 0 : PacketProtector.IntegrityKeyLength(suite.Integrity);
        var inbound = Keymat(prf, skeyidD, pfsSecret, ProtocolEsp, inboundSpi, nonceI, nonceR, encLength + integLength);
        var outbound = Keymat(prf, skeyidD, pfsSecret, ProtocolEsp, outboundSpi, nonceI, nonceR, encLength + integLength);
        var keys = new QuickModeKeys(inbound[..encLength], inbound[encLength..], outbound[..encLength], outbound[encLength..]);
        CryptographicOperations.ZeroMemory(inbound);
        CryptographicOperations.ZeroMemory(outbound);
        return keys;
    }

    /// <summary>KEYMAT for one SA, <paramref name="length"/> octets.</summary>
    public static byte[] Keymat(Prf prf, ReadOnlySpan<byte> skeyidD, ReadOnlySpan<byte> pfsSecret, byte protocol, uint spi,
        ReadOnlySpan<byte> nonceI, ReadOnlySpan<byte> nonceR, int length)
    {
        Span<byte> protocolAndSpi = stackalloc byte[5];
        protocolAndSpi[0] = protocol;
        BinaryPrimitives.WriteUInt32BigEndian(protocolAndSpi[1..], spi);
        byte[] seed = IsakmpSaKeys.Concat(pfsSecret, protocolAndSpi, nonceI, nonceR);

        var keymat = new byte[length];
        byte[] block = [];
        for (int written = 0; written < length;)
        {
            var next = prf.Compute(skeyidD, IsakmpSaKeys.Concat(block, seed));
            CryptographicOperations.ZeroMemory(block);
            block = next;
            int take = Math.Min(block.Length, length - written);
            block.AsSpan(0, take).CopyTo(keymat.AsSpan(written));
            written += take;
        }

        CryptographicOperations.ZeroMemory(block);
        CryptographicOperations.ZeroMemory(seed);
        return keymat;
    }

    public override string ToString() => "QuickModeKeys(hidden)";
}
