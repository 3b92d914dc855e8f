namespace SharpSwan.Crypto.Tests;

public sealed class RandomSourceTests
{
    [Fact]
    public void Seeded_source_repeats_its_sequence_for_the_same_seed()
    {
        var first = new SeededRandomSource(42);
        var second = new SeededRandomSource(42);
        var a = new byte[64];
        var b = new byte[64];

        first.Fill(a);
        second.Fill(b);

        Assert.Equal(a, b);
        Assert.Equal(first.NextInt32(1000), second.NextInt32(1000));
    }

    [Fact]
    public void Seeded_sources_with_different_seeds_differ()
    {
        var a = new byte[32];
        var b = new byte[32];
        new SeededRandomSource(1).Fill(a);
        new SeededRandomSource(2).Fill(b);
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void NextInt32_stays_in_range_and_rejects_empty_ranges()
    {
        IRandomSource[] sources = [SystemRandomSource.Instance, new SeededRandomSource(7)];
        foreach (var source in sources)
        {
            var seen = new HashSet<int>();
            for (var i = 0; i < 500; i++)
            {
                var value = source.NextInt32(5);
                Assert.InRange(value, 0, 4);
                seen.Add(value);
            }

            Assert.Equal(5, seen.Count);
            Assert.Throws<ArgumentOutOfRangeException>(() => source.NextInt32(0));
        }
    }

    [Fact]
    public void System_source_fills_with_fresh_bytes()
    {
        var a = new byte[32];
        var b = new byte[32];
        SystemRandomSource.Instance.Fill(a);
        SystemRandomSource.Instance.Fill(b);
        Assert.NotEqual(new byte[32], a);
        Assert.NotEqual(a, b);
    }
}
