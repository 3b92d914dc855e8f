using System.Net;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Engine.Lifecycle;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Tests.Engine;

public sealed class Phase2LifecycleTests
{
    private static readonly DateTimeOffset Installed = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Life = TimeSpan.FromSeconds(3600);
    private static readonly TimeSpan Soft = TimeSpan.FromSeconds(3300);

    [Fact]
    public void BeforeTheSoftPointNothingIsDue()
    {
        Assert.Equal(ChildLifecycleStep.None, Phase2Lifecycle.Evaluate(Child(), default, Installed + Soft - TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void AtTheSoftPointAnIdleSaIsLeftToExpireAndAWantedOneIsRekeyed()
    {
        var at = Installed + Soft;

        Assert.Equal(ChildLifecycleStep.SoftLetExpire, Phase2Lifecycle.Evaluate(Child(), default, at));
        Assert.Equal(ChildLifecycleStep.SoftRekey, Phase2Lifecycle.Evaluate(Child(keepalive: true), default, at));
        Assert.Equal(ChildLifecycleStep.SoftRekey, Phase2Lifecycle.Evaluate(Child(autoNegotiate: true), default, at));
        var recent = new ChildSaActivity(at - TimeSpan.FromSeconds(10), null, 100, 0);
        Assert.Equal(ChildLifecycleStep.SoftRekey, Phase2Lifecycle.Evaluate(Child(), recent, at));
        var longAgo = new ChildSaActivity(Installed + TimeSpan.FromSeconds(60), null, 100, 0);
        Assert.Equal(ChildLifecycleStep.SoftLetExpire, Phase2Lifecycle.Evaluate(Child(), longAgo, at));
    }

    [Fact]
    public void AnSaLeftIdleIsRekeyedWhenTrafficReturnsBeforeItsHardPoint()
    {
        var child = Child();
        child.SoftExpired = true;
        var later = Installed + Soft + TimeSpan.FromSeconds(30);

        Assert.Equal(ChildLifecycleStep.None, Phase2Lifecycle.Evaluate(child, default, later));
        Assert.Equal(ChildLifecycleStep.TrafficAfterSoft, Phase2Lifecycle.Evaluate(child, new ChildSaActivity(later, null, 1, 0), later));
    }

    [Fact]
    public void HardPointsComeBeforeSoftOnesAndRetirementCountsAsOne()
    {
        Assert.Equal(ChildLifecycleStep.HardExpired, Phase2Lifecycle.Evaluate(Child(), default, Installed + Life));

        var rekeyed = Child();
        rekeyed.State = ChildSaState.Rekeyed;
        rekeyed.RetireAt = Installed + TimeSpan.FromSeconds(100);
        Assert.Equal(ChildLifecycleStep.None, Phase2Lifecycle.Evaluate(rekeyed, default, Installed + TimeSpan.FromSeconds(99)));
        Assert.Equal(ChildLifecycleStep.HardExpired, Phase2Lifecycle.Evaluate(rekeyed, default, Installed + TimeSpan.FromSeconds(100)));

        var deleting = Child();
        deleting.State = ChildSaState.Deleting;
        Assert.Equal(ChildLifecycleStep.None, Phase2Lifecycle.Evaluate(deleting, default, Installed + Life));
    }

    [Fact]
    public void TheCreatorRekeysOnBytesBeforeThePeerAndBothExpireAtTheLimit()
    {
        const long Limit = 1000 * 1024;
        var creator = Child(kbs: 1000, createdByUs: true);
        var other = Child(kbs: 1000, createdByUs: false);
        var ninetyTwo = new ChildSaActivity(null, Installed, 0, (long)(Limit * 0.92));

        Assert.Equal(ChildLifecycleStep.SoftByBytes, Phase2Lifecycle.Evaluate(creator, ninetyTwo, Installed));
        Assert.Equal(ChildLifecycleStep.None, Phase2Lifecycle.Evaluate(other, ninetyTwo, Installed));
        Assert.Equal(ChildLifecycleStep.HardExpiredByBytes, Phase2Lifecycle.Evaluate(other, new ChildSaActivity(null, Installed, 0, Limit), Installed));
    }

    [Fact]
    public void TheCreatorsSoftMarginIsLargerThanThePeersAndJittered()
    {
        var random = new SeededRandomSource(7);
        var creator = Enumerable.Range(0, 50).Select(_ => Phase2Lifecycle.SoftMargin(Life, creator: true, random)).ToList();
        var other = Enumerable.Range(0, 50).Select(_ => Phase2Lifecycle.SoftMargin(Life, creator: false, random)).ToList();

        Assert.True(creator.Min() > other.Max());
        Assert.All(creator, m => Assert.InRange(m, TimeSpan.FromSeconds(180), TimeSpan.FromSeconds(200)));
        Assert.True(creator.Distinct().Count() > 1);
    }

    [Fact]
    public void OfTwoCollidingSasTheOneWithTheLowerNonceIsRedundant()
    {
        byte[] low = [1, 2, 3];
        byte[] high = [1, 2, 4];

        Assert.True(Phase2Lifecycle.FirstIsRedundant(low, high));
        Assert.False(Phase2Lifecycle.FirstIsRedundant(high, low));
        Assert.Same(low, Phase2Lifecycle.LowestNonce(high, low));
    }

    [Fact]
    public void NextCheckIsTheSoftPointThenPollsWhileLeftIdle()
    {
        var child = Child();
        Assert.Equal(Installed + Soft, Phase2Lifecycle.NextCheck(child, Installed));

        child.SoftExpired = true;
        var now = Installed + Soft;
        Assert.Equal(now + Phase2Lifecycle.DataPlanePollInterval, Phase2Lifecycle.NextCheck(child, now));
    }

    private static ChildSa Child(bool keepalive = false, bool autoNegotiate = false, long? kbs = null, bool createdByUs = true)
    {
        var settings = new Phase2Settings
        {
            Name = "p2",
            Phase1Name = "p1",
            Keepalive = keepalive,
            AutoNegotiate = autoNegotiate,
            KeyLifeSeconds = (int)Life.TotalSeconds,
            KeyLifeType = kbs is null ? KeyLifeType.Seconds : KeyLifeType.Both,
            KeyLifeKbs = kbs ?? 5120,
        };
        var any = new TrafficSelector(TrafficSelectorType.Ipv4AddressRange, 0, 0, 65535, IPAddress.Any, IPAddress.Broadcast);
        return new ChildSa
        {
            Settings = settings,
            Serial = 1,
            InboundSpi = 0x1000,
            OutboundSpi = 0x2000,
            Suite = new ChildSuite(EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None, DiffieHellmanGroup.None),
            LocalSelector = any,
            RemoteSelector = any,
            CreatedByUs = createdByUs,
            InstalledAt = Installed,
            SoftExpiry = Installed + Soft,
            HardExpiry = Installed + Life,
            LowestNonce = [0],
        };
    }
}
