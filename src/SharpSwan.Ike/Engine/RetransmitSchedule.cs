namespace SharpSwan.Ike.Engine;

/// <summary>
/// When our outstanding request is sent again (RFC 7296 §2.1). The nominal schedule doubles from the first timeout with
/// each retransmission, up to a cap; each retransmission is then sent a little after its nominal time (jitter), while the
/// schedule itself, and so the moment we give up, stays on the nominal times. Intervals the operator configured (DPD's
/// dpd-retryinterval, FortiOS's 5 s auto-negotiate) are kept exactly.
/// </summary>
internal static class RetransmitSchedule
{
    /// <summary>
    /// The longest nominal wait between two transmissions of one request. The default schedule (2 s doubling, five
    /// retries: the last wait 64 s) stays within it, so defaults time out as before; a larger retry limit never leaves a
    /// returning peer unheard for longer than this.
    /// </summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(64);

    /// <summary>
    /// A retransmission goes out up to this share of its preceding interval after its nominal time, so that the many
    /// tunnels of a gateway that lost their peers at once (an uplink outage) do not retransmit in lock step. Only ever
    /// later, never earlier: peers and timeouts are tuned to the nominal schedule.
    /// </summary>
    public const double JitterShare = 0.1;

    /// <summary>The nominal wait after <paramref name="retransmits"/> retransmissions: a fixed interval as is, else first × 2^n, capped.</summary>
    public static TimeSpan Nominal(TimeSpan firstTimeout, TimeSpan? fixedInterval, int retransmits)
    {
        if (fixedInterval is { } configured)
        {
            return configured;
        }

        // Past 2^20 the cap has long been reached; stopping there keeps the multiplication finite.
        var doubled = firstTimeout * Math.Pow(2, Math.Min(retransmits, 20));
        return doubled > MaxInterval ? MaxInterval : doubled;
    }

    /// <summary>
    /// How long a request on the doubling schedule is waited for before we give up: its first wait and the wait after each
    /// of its <paramref name="limit"/> retransmissions.
    /// </summary>
    public static TimeSpan GiveUpAfter(TimeSpan firstTimeout, int limit)
    {
        var total = TimeSpan.Zero;
        for (var n = 0; n <= limit; n++)
        {
            var wait = Nominal(firstTimeout, null, n);
            if (wait >= MaxInterval)
            {
                // Capped from here on: the rest at once, so a huge limit costs no loop.
                return total + (MaxInterval * ((double)limit - n + 1));
            }

            total += wait;
        }

        return total;
    }

    /// <summary>
    /// How long after its nominal time a transmission goes out. Derived from the IKE SA's own SPI and the message, not
    /// from the engine's random source: tunnels differ (their SPIs are random) while a seeded simulation keeps its random
    /// sequence, and so its replays, whatever the retransmissions.
    /// </summary>
    public static TimeSpan Jitter(TimeSpan interval, TimeSpan? fixedInterval, ulong spi, uint messageId, int retransmits)
    {
        var rangeMs = (ulong)(interval.TotalMilliseconds * JitterShare);
        if (fixedInterval is not null || rangeMs == 0)
        {
            return TimeSpan.Zero;
        }

        return TimeSpan.FromMilliseconds(Mix(spi ^ ((ulong)messageId << 32) ^ (uint)retransmits) % (rangeMs + 1));
    }

    /// <summary>SplitMix64's finalizer: spreads nearby inputs over the whole range.</summary>
    private static ulong Mix(ulong value)
    {
        value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9UL;
        value = (value ^ (value >> 27)) * 0x94d049bb133111ebUL;
        return value ^ (value >> 31);
    }
}
