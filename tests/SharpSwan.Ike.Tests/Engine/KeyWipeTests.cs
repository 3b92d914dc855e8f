using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Tests.Support;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>Issue 11, item 7: an IKE SA's seven keys are zeroed when it is deleted or rekeyed away, and its ciphers disposed.</summary>
public sealed class KeyWipeTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    [Fact]
    public void Deleting_an_IKE_SA_zeroes_its_keys_on_both_ends()
    {
        using var link = new EngineLink();
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(Settle);
        var ours = link.A.Engine.Tunnels.Single().Current!;
        var theirs = link.B.Engine.Tunnels.Single().Current!;
        var keysA = AllKeys(ours);
        var keysB = AllKeys(theirs);
        Assert.All(keysA, key => Assert.Contains(key, b => b != 0));

        Assert.True(link.A.Engine.Terminate(EngineLink.PhaseA, null));
        link.Run(Settle);

        Assert.Null(link.A.Engine.Tunnels.Single().Current);
        Assert.All(keysA.Concat(keysB), key => Assert.All(key, b => Assert.Equal(0, b)));
        Assert.Null(ours.Inbound);
        Assert.Null(ours.Outbound);
    }

    [Fact]
    public void Rekeying_an_IKE_SA_zeroes_the_old_keys_and_keeps_the_new_ones()
    {
        using var link = new EngineLink();
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(Settle);
        var old = link.A.Engine.Tunnels.Single().Current!;
        var oldKeys = AllKeys(old);

        Assert.True(link.A.Engine.RekeyIke(EngineLink.PhaseA));
        link.Run(Settle);

        var successor = link.A.Engine.Tunnels.Single().Current!;
        Assert.NotSame(old, successor);
        Assert.Equal(IkeSaState.Established, successor.State);
        Assert.All(oldKeys, key => Assert.All(key, b => Assert.Equal(0, b)));
        Assert.All(AllKeys(successor), key => Assert.Contains(key, b => b != 0));
    }

    private static List<byte[]> AllKeys(IkeSa sa)
    {
        // The link's suite is AES-GCM, whose integrity keys SK_ai/SK_ar are empty: the other five carry the secrets.
        var keys = sa.Keys!;
        List<byte[]> all = [keys.SkD, keys.SkAi, keys.SkAr, keys.SkEi, keys.SkEr, keys.SkPi, keys.SkPr];
        return all.Where(key => key.Length > 0).ToList();
    }
}
