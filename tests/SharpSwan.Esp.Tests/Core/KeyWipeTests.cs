using SharpSwan.Esp.Core;

namespace SharpSwan.Esp.Tests.Core;

/// <summary>Issue 11, item 7: a child SA's keys are zeroed once the packet core lets go of it (after the straggler grace).</summary>
public sealed class KeyWipeTests
{
    [Fact]
    public void A_removed_SAs_keys_are_zeroed_when_its_ciphers_are_released()
    {
        using var rig = new CoreRig();
        var (local, _) = rig.InstallPair(0x105);
        var install = local.Install;
        // The rig's suite is AES-GCM: its integrity keys are empty, the encryption keys carry everything (bytes 05 and 06).
        byte[][] keys = [install.InboundEncryptionKey, install.OutboundEncryptionKey];
        Assert.All(keys, key => Assert.Contains(key, b => b != 0));

        Assert.Same(local, rig.Local.Remove(0x105));
        rig.Local.ReleaseRetired();
        Assert.All(keys, key => Assert.Contains(key, b => b != 0));

        rig.Clock.Advance(PacketCore.CipherGrace);
        rig.Local.ReleaseRetired();

        Assert.All(keys, key => Assert.All(key, b => Assert.Equal(0, b)));
        Assert.Throws<ObjectDisposedException>(() => local.Outbound.Encapsulate(CoreRig.LocalToPeer(1), new byte[200], out _));
    }
}
