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
}
