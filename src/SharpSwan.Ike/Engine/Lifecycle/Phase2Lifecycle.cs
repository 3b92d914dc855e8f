using SharpSwan.Config;
using SharpSwan.Crypto;

namespace SharpSwan.Ike.Engine.Lifecycle;

/// <summary>
/// The phase 2 lifecycle policy in one place, independent of the IKE version that negotiates the SAs (IKEv2
/// CREATE_CHILD_SA today, IKEv1 quick mode later): lifetimes and their soft and hard points in time and bytes, when an SA
/// is rekeyed, left to expire or expired, and which of two SAs a collision keeps. The engine asks; the exchanges act.
/// On demand and auto-negotiate retries live on <see cref="TunnelRuntime"/> (Negotiating, NextAutoAttempt), driven with
/// <see cref="IkeEngineOptions.AutoNegotiateInterval"/>.
/// </summary>
public static class Phase2Lifecycle
{
    /// <summary>
    /// A keylife-type kbs SA has no time limit in FortiOS; it still gets the longest keylifeseconds allowed (two days), so
    /// an SA that carries almost nothing is rekeyed eventually.
    /// </summary>
    public static readonly TimeSpan ByteOnlyLifetime = TimeSpan.FromSeconds(172800);

    /// <summary>The SA's creator rekeys at this share of keylifekbs; leading the other side makes it normally rekey first.</summary>
    public const double CreatorSoftByteShare = 0.90;

    /// <summary>The other side rekeys at this share of keylifekbs, should the creator not have done so.</summary>
    public const double ResponderSoftByteShare = 0.95;

    /// <summary>Traffic within this share of the lifetime before the soft point counts as "recent" and earns a rekey...</summary>
    public const double RecentTrafficShare = 0.1;

    /// <summary>...but never less than this, so short lifetimes still look far enough back to see an active flow.</summary>
    public static readonly TimeSpan MinRecentTrafficWindow = TimeSpan.FromSeconds(30);

    /// <summary>Byte counts and traffic after the soft point live in the data plane: look this often.</summary>
    public static readonly TimeSpan DataPlanePollInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long an SA replaced by a rekey keeps decrypting late packets after it is deleted (reordering networks).</summary>
    public static readonly TimeSpan StragglerGrace = TimeSpan.FromSeconds(1);

    /// <summary>
    /// IKEv1: how long the initiator of a rekey goes on sending on the old SA, unless the peer sends on the new one first.
    /// The peer installs the new SA only when quick mode's 3rd message arrives, and a packet that overtakes that message
    /// would be lost; at the end the old SA is deleted and outbound moves over.
    /// </summary>
    public static readonly TimeSpan CommitGrace = TimeSpan.FromSeconds(1);

    /// <summary>How long a second SA for one phase 2 must have been silent before it counts as a stale duplicate.</summary>
    public static readonly TimeSpan DuplicateSettle = TimeSpan.FromSeconds(3);

    /// <summary>How long a peer has to start using an SA we created for its rekey before we conclude it gave the rekey up.</summary>
    public static readonly TimeSpan AbandonedRekeyWait = TimeSpan.FromSeconds(15);

    /// <summary>The creator's soft margin: a quarter of the lifetime, at most three minutes before hard expiry...</summary>
    private const double CreatorMarginShare = 0.25;

    private static readonly TimeSpan CreatorMaxMargin = TimeSpan.FromSeconds(180);

    /// <summary>...spread by up to 5% of the lifetime (at most 20 s) so thousands of tunnels do not rekey at once.</summary>
    private const double CreatorJitterShare = 0.05;

    private static readonly TimeSpan CreatorMaxJitter = TimeSpan.FromSeconds(20);

    /// <summary>The other side's soft margin is smaller (8%, at most 30 s): it rekeys only if the creator did not.</summary>
    private const double ResponderMarginShare = 0.08;

    private static readonly TimeSpan ResponderMaxMargin = TimeSpan.FromSeconds(30);

    /// <summary>Its spread: 2% of the lifetime, at most 5 s.</summary>
    private const double ResponderJitterShare = 0.02;

    private static readonly TimeSpan ResponderMaxJitter = TimeSpan.FromSeconds(5);

    /// <summary>A child SA's time lifetime.</summary>
    public static TimeSpan Lifetime(Phase2Settings settings) =>
        settings.KeyLifeType == KeyLifeType.Kbs ? ByteOnlyLifetime : TimeSpan.FromSeconds(settings.KeyLifeSeconds);

    /// <summary>The byte lifetime (keylifekbs); long.MaxValue when only time counts.</summary>
    public static long ByteLimit(Phase2Settings settings) =>
        settings.KeyLifeType == KeyLifeType.Seconds ? long.MaxValue : settings.KeyLifeKbs * 1024;

    /// <summary>
    /// How long before hard expiry the soft (rekey) point lies, for child and IKE SAs alike. The side that created the SA
    /// leads with a larger margin, so it normally rekeys first; random jitter spreads thousands of tunnels apart.
    /// </summary>
    public static TimeSpan SoftMargin(TimeSpan life, bool creator, IRandomSource random)
    {
        var seconds = life.TotalSeconds;
        var baseMargin = creator ? Math.Min(CreatorMaxMargin.TotalSeconds, seconds * CreatorMarginShare) : Math.Min(ResponderMaxMargin.TotalSeconds, seconds * ResponderMarginShare);
        var jitterRange = creator ? Math.Min(CreatorMaxJitter.TotalSeconds, seconds * CreatorJitterShare) : Math.Min(ResponderMaxJitter.TotalSeconds, seconds * ResponderJitterShare);
        var jitterMs = random.NextInt32(Math.Max(1, (int)(jitterRange * 1000)));
        return TimeSpan.FromSeconds(baseMargin) + TimeSpan.FromMilliseconds(jitterMs);
    }

    /// <summary>
    /// What the lifetime of <paramref name="child"/> asks for now, given its traffic. Hard points first (bytes, then time or
    /// retirement), then the soft points: bytes, then time, where an SA is rekeyed if keepalive or auto-negotiate wants it
    /// kept or it carried traffic recently, and otherwise left idle until traffic returns or it expires.
    /// </summary>
    public static ChildLifecycleStep Evaluate(ChildSa child, ChildSaActivity activity, DateTimeOffset now)
    {
        if (child.State == ChildSaState.Deleting)
        {
            return ChildLifecycleStep.None;
        }

        var settings = child.Settings;
        var byteLimit = ByteLimit(settings);
        var bytes = Math.Max(activity.InboundBytes, activity.OutboundBytes);
        if (bytes >= byteLimit)
        {
            return ChildLifecycleStep.HardExpiredByBytes;
        }

        if (now >= child.HardExpiry || (child.RetireAt is { } retire && now >= retire))
        {
            return ChildLifecycleStep.HardExpired;
        }

        if (child.State != ChildSaState.Installed)
        {
            return ChildLifecycleStep.None;
        }

        var softBytes = byteLimit == long.MaxValue ? long.MaxValue : (long)(byteLimit * (child.CreatedByUs ? CreatorSoftByteShare : ResponderSoftByteShare));
        if (bytes >= softBytes)
        {
            return ChildLifecycleStep.SoftByBytes;
        }

        return now < child.SoftExpiry ? ChildLifecycleStep.None : AtSoftPoint(child, activity);
    }

    /// <summary>The earliest moment <see cref="Evaluate"/> may answer differently for this SA (null: only traffic or an exchange changes it).</summary>
    public static DateTimeOffset? NextCheck(ChildSa child, DateTimeOffset now)
    {
        // A child being deleted waits for the DELETE answer (or the retransmit timer), not its expiry: reporting its past
        // hard expiry here would make the owner's loop spin until the answer comes.
        if (child.State == ChildSaState.Deleting)
        {
            // Still in the data plane: its hard point takes it out even while the DELETE is unanswered.
            DateTimeOffset? hard = child.RemovedFromDataPlane ? null : child.HardExpiry;
            return child.Settings.KeyLifeType != KeyLifeType.Seconds ? Earliest(hard, now + DataPlanePollInterval) : hard;
        }

        var next = Earliest(child.HardExpiry, child.RetireAt);
        if (child.Settings.KeyLifeType != KeyLifeType.Seconds)
        {
            next = Earliest(next, now + DataPlanePollInterval);
        }

        if (child.State == ChildSaState.Installed)
        {
            // After the soft point, traffic must start the rekey promptly: poll the data plane.
            next = Earliest(next, child.SoftExpired ? now + DataPlanePollInterval : child.SoftExpiry);
        }

        return next;
    }

    /// <summary>
    /// RFC 7296 §2.8.1-2.8.2: of two SAs created at once for the same thing (a rekey collision, or both ends creating one
    /// phase 2), the one whose exchange had the lowest nonce is redundant; both ends reach the same verdict.
    /// </summary>
    public static bool FirstIsRedundant(byte[] firstLowestNonce, byte[] secondLowestNonce) =>
        CompareNonces(firstLowestNonce, secondLowestNonce) < 0;

    /// <summary>The lower of an exchange's two nonces, which collisions are decided on.</summary>
    public static byte[] LowestNonce(byte[] a, byte[] b) => CompareNonces(a, b) <= 0 ? a : b;

    private static int CompareNonces(byte[] a, byte[] b) => a.AsSpan().SequenceCompareTo(b);

    private static ChildLifecycleStep AtSoftPoint(ChildSa child, ChildSaActivity activity)
    {
        var settings = child.Settings;
        if (child.SoftExpired)
        {
            return activity.LastAny is { } seen && seen > child.SoftExpiry ? ChildLifecycleStep.TrafficAfterSoft : ChildLifecycleStep.None;
        }

        var window = TimeSpan.FromSeconds(Math.Max(MinRecentTrafficWindow.TotalSeconds, settings.KeyLifeSeconds * RecentTrafficShare));
        var recent = activity.LastAny is { } last && last >= child.SoftExpiry - window;
        return settings.Keepalive || settings.AutoNegotiate || recent ? ChildLifecycleStep.SoftRekey : ChildLifecycleStep.SoftLetExpire;
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : (a < b ? a : b);
}
