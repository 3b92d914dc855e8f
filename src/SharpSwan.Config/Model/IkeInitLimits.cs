namespace SharpSwan.Config;

/// <summary>
/// How the gateway defends its IKE_SA_INIT responder against floods (<c>config system global</c>): from
/// <paramref name="CookieThreshold"/> half-open IKE SAs on, every new IKE_SA_INIT must come back with a COOKIE before any
/// state or Diffie-Hellman work is spent on it (RFC 7296 §2.6); no more than <paramref name="EmbryonicLimit"/> half-open
/// IKE SAs exist at once, nor more than <paramref name="EmbryonicLimitPerSource"/> from one source address.
/// </summary>
/// <param name="CookieThreshold"><c>set ike-cookie-threshold</c> (SharpSwan extension; 0: always ask for a COOKIE).</param>
/// <param name="EmbryonicLimit"><c>set ike-embryonic-limit</c> (FortiOS: tunnels negotiating at once).</param>
/// <param name="EmbryonicLimitPerSource"><c>set ike-embryonic-limit-per-source</c> (SharpSwan extension).</param>
public sealed record IkeInitLimits(int CookieThreshold, int EmbryonicLimit, int EmbryonicLimitPerSource)
{
    public const string CookieThresholdField = "ike-cookie-threshold";
    public const string EmbryonicLimitField = "ike-embryonic-limit";
    public const string EmbryonicLimitPerSourceField = "ike-embryonic-limit-per-source";

    /// <summary>
    /// A few dozen half-open SAs before cookies: more than a busy dial-up hub has at once after a restart of its clients,
    /// few enough that a flood costs at most that many Diffie-Hellman computations per negotiate-timeout. FortiOS's
    /// embryonic default; 8 per source leaves room for several clients behind one NAT address.
    /// </summary>
    public static IkeInitLimits Default { get; } = new(32, 10000, 8);
}
