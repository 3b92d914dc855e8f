namespace SharpSwan.Simulation;

/// <summary>
/// Derives the seeds of the simulation's parts from its one seed. Deliberately not <see cref="HashCode"/>, which is
/// randomised per process and would break replay across runs.
/// </summary>
internal static class SimulationSeeds
{
    public static int Mix(int seed, int a, int b)
    {
        unchecked
        {
            // SplitMix-style avalanche so nearby inputs give unrelated seeds.
            var x = (ulong)(uint)seed;
            x = (x * 0x9E3779B97F4A7C15UL) ^ (uint)a;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x ^= (ulong)(uint)b << 17;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            x ^= x >> 31;
            return (int)(uint)x;
        }
    }
}
