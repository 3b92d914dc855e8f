using System.Security.Cryptography;
using SharpSwan.Crypto;
using SharpSwan.Esp.Core;

namespace SharpSwan.Esp.Tests.Core;

/// <summary>
/// Cipher contexts are made by a lane's first packet, but .NET refuses a weak 3DES key only when its cipher is made: such
/// a key must still fail the install, never the first packet on a data-plane worker.
/// </summary>
public sealed class LegacyKeyInstallTests
{
    private static readonly EspTransform TripleDes = new(EncryptionAlgorithm.TripleDes, 192, IntegrityAlgorithm.HmacSha1_96);

    /// <summary>K1 == K2: 3DES degenerates to single DES, which .NET calls a weak key.</summary>
    private static byte[] WeakKey()
    {
        var key = new byte[24];
        for (var i = 0; i < 8; i++)
        {
            key[i] = key[i + 8] = (byte)(0x10 + i * 2);
            key[i + 16] = (byte)(0x80 + i * 2);
        }

        return key;
    }

    private static readonly byte[] IntegrityKey = new byte[20];

    [Fact]
    public void A_weak_3des_key_fails_the_outbound_install()
    {
        Assert.ThrowsAny<CryptographicException>(() =>
            EspSecurityAssociation.CreateOutbound(0x1000, TripleDes, WeakKey(), IntegrityKey, new SeededRandomSource(1), lanes: 2));
    }

    [Fact]
    public void A_weak_3des_key_fails_the_inbound_install()
    {
        Assert.ThrowsAny<CryptographicException>(() =>
            EspSecurityAssociation.CreateInbound(0x1000, TripleDes, WeakKey(), IntegrityKey, replayCheck: true, replayWindowSize: 64, new SeededRandomSource(1)));
    }

    [Fact]
    public void A_sound_3des_key_installs_with_its_first_lane_made()
    {
        var key = WeakKey();
        key[8] ^= 0x5a;
        using var sa = EspSecurityAssociation.CreateOutbound(0x1000, TripleDes, key, IntegrityKey, new SeededRandomSource(1), lanes: 2);
        Assert.Equal(1, sa.LanesCreated);
    }
}
