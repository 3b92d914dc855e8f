using System.Runtime.InteropServices;

namespace SharpSwan.Ike.Bench;

/// <summary>CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID): only the responder's calls are charged to it.</summary>
internal static partial class ThreadCpu
{
    private const int ClockThreadCpuTime = 3;

    public static TimeSpan Now()
    {
        if (ClockGetTime(ClockThreadCpuTime, out var spec) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        }

        return TimeSpan.FromTicks((spec.Seconds * 1_000_000_000 + spec.Nanoseconds) / 100);
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec spec);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
