using System.Diagnostics;

namespace SharpSwan.Interop.Tests.Harness;

/// <summary>Polling with a deadline: the tests wait for states, never assert on how long they took.</summary>
public static class Wait
{
    public static bool Until(Func<bool> condition, TimeSpan timeout, TimeSpan? interval = null)
    {
        TimeSpan pause = interval ?? TimeSpan.FromMilliseconds(250);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (condition())
            {
                return true;
            }

            if (clock.Elapsed >= timeout)
            {
                return false;
            }

            Thread.Sleep(pause);
        }
    }

    /// <summary>
    /// True when <paramref name="condition"/> held at every check for <paramref name="duration"/> (checked at least
    /// twice: at the start and at the end); false at the first check where it did not.
    /// </summary>
    public static bool Holds(Func<bool> condition, TimeSpan duration, TimeSpan? interval = null)
    {
        TimeSpan pause = interval ?? TimeSpan.FromSeconds(1);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (!condition())
            {
                return false;
            }

            if (clock.Elapsed >= duration)
            {
                return true;
            }

            Thread.Sleep(pause);
        }
    }
}
