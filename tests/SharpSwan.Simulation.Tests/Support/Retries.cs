namespace SharpSwan.Simulation.Tests.Support;

/// <summary>Assertions on retry schedules: issue 3 wants auto-negotiate attempts exactly 5 s apart, not "about".</summary>
internal static class Retries
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>The attempts are first, first+5 s, first+10 s, ... with nothing in between and none missing.</summary>
    public static void AssertEveryFiveSeconds(IReadOnlyList<DateTimeOffset> attempts, DateTimeOffset first, int expectedCount)
    {
        var expected = Enumerable.Range(0, expectedCount).Select(i => first + (Interval * i)).ToList();
        Assert.True(
            expected.SequenceEqual(attempts),
            $"expected attempts at {Describe(expected, first)}, saw {Describe(attempts, first)} (seconds after the first expected one)");
    }

    /// <summary>How many attempts from <paramref name="first"/> on, 5 s apart, until the first at or after <paramref name="until"/>.</summary>
    public static int CountThrough(DateTimeOffset first, DateTimeOffset until) =>
        (int)Math.Ceiling((until - first) / Interval) + 1;

    private static string Describe(IEnumerable<DateTimeOffset> times, DateTimeOffset origin) =>
        string.Join(", ", times.Select(t => (t - origin).TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)));
}
