namespace SharpSwan.Ike.Engine;

/// <summary>The engine's own timings (the phase 2 ones are in <see cref="Lifecycle.Phase2Lifecycle"/>), each with its reason.</summary>
internal static class EngineTimings
{
    /// <summary>
    /// A refused CREATE_CHILD_SA (TEMPORARY_FAILURE: the peer is busy with a colliding exchange, RFC 7296 §2.25) is tried
    /// again after at least this long...
    /// </summary>
    public static readonly TimeSpan ChildRetryMin = TimeSpan.FromMilliseconds(500);

    /// <summary>...plus a random part up to this, so that both ends of a collision do not retry in step again.</summary>
    public const int ChildRetrySpreadMs = 1500;

    /// <summary>An IKE rekey the peer refused is tried again after at least this long (it may be busy with its own)...</summary>
    public static readonly TimeSpan IkeRekeyRetryMin = TimeSpan.FromSeconds(5);

    /// <summary>...plus a random part up to this many seconds, to step out of a repeating collision.</summary>
    public const int IkeRekeyRetrySpreadSeconds = 10;

    /// <summary>
    /// A rekeyed IKE SA whose DELETE the peer owes us (it started the rekey, or won the collision) is dropped after this
    /// long if the DELETE never comes: long enough for the peer's retransmissions, short enough not to keep dead keys.
    /// </summary>
    public static readonly TimeSpan RekeyedIkeSaGrace = TimeSpan.FromSeconds(30);

    /// <summary>Traffic timestamps live in the data plane: with only idle-timeout on, look at them at least this often.</summary>
    public static readonly TimeSpan IdleCheckInterval = TimeSpan.FromSeconds(60);

    /// <summary>The shortest liveness step, whatever the configuration: DPD intervals are whole seconds of at least one.</summary>
    public static readonly TimeSpan MinLivenessStep = TimeSpan.FromSeconds(1);
}
