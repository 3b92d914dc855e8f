using System.Globalization;

namespace SharpSwan.Simulation.Tests.Support;

/// <summary>
/// The seeds of the lossy-link rekey sweep. By default a fast subset for every test run: every seed that ever kept a
/// redundant SA too long, plus a few more. bench/lossy-sweep.sh sets <see cref="SeedsVariable"/> (e.g. "1-500" or
/// "3,220,350") to run the full sweep through the same test.
/// </summary>
internal static class LossySweep
{
    public const string SeedsVariable = "SHARPSWAN_LOSSY_SEEDS";

    /// <summary>
    /// Every seed that ever kept a redundant SA too long: 3, 5, 47, 57 (of 60) and 220, 350 (of 300) kept one 85-120 s;
    /// 21, 23, 34, 39 did 11-87 s before the stale-SA sweep existed; 100, 220, 300, 350 and 369 (of 500) did ~110 s
    /// before an abandoned rekey counted only live successors. 180 keeps one longest (22 s) since.
    /// </summary>
    private static readonly int[] FastSubset = [3, 5, 21, 23, 34, 39, 47, 57, 100, 180, 220, 300, 350, 369];

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        foreach (var seed in Parse(Environment.GetEnvironmentVariable(SeedsVariable)) ?? FastSubset)
        {
            data.Add(seed);
        }

        return data;
    }

    /// <summary>"1-500", "3,220,350" or a mix ("1-10,220"); null when unset or blank.</summary>
    public static IReadOnlyList<int>? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var seeds = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', 1);
            if (dash < 0)
            {
                seeds.Add(int.Parse(part, CultureInfo.InvariantCulture));
                continue;
            }

            var first = int.Parse(part[..dash], CultureInfo.InvariantCulture);
            var last = int.Parse(part[(dash + 1)..], CultureInfo.InvariantCulture);
            seeds.AddRange(Enumerable.Range(first, last - first + 1));
        }

        return seeds;
    }
}
