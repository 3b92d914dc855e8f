namespace SharpSwan.Esp.Tests;

public sealed class ReplayWindowTests
{
    [Fact]
    public void Zero_is_never_acceptable()
    {
        var window = new ReplayWindow(64);
        Assert.False(window.IsAcceptable(0));
        window.Accept(0);
        Assert.Equal(0UL, window.Highest);
        Assert.True(window.IsAcceptable(1));
    }

    [Fact]
    public void Duplicates_are_rejected_and_checking_does_not_record()
    {
        var window = new ReplayWindow();
        Assert.Equal(1024, window.Size);
        Assert.True(window.IsAcceptable(5));
        Assert.True(window.IsAcceptable(5));

        window.Accept(5);
        Assert.False(window.IsAcceptable(5));
        Assert.True(window.IsAcceptable(4));
        Assert.True(window.IsAcceptable(6));
        Assert.Equal(5UL, window.Highest);
    }

    [Fact]
    public void Window_edges()
    {
        var window = new ReplayWindow(64);
        window.Accept(100);

        // The window holds exactly 64 numbers: 37..100.
        Assert.True(window.IsAcceptable(37));
        Assert.False(window.IsAcceptable(36));
        Assert.False(window.IsAcceptable(1));
        Assert.True(window.IsAcceptable(99));
        Assert.True(window.IsAcceptable(101));

        window.Accept(37);
        Assert.False(window.IsAcceptable(37));
        window.Accept(36);
        Assert.False(window.IsAcceptable(36));

        window.Accept(101);
        Assert.False(window.IsAcceptable(37));
        Assert.True(window.IsAcceptable(38));
    }

    [Fact]
    public void A_far_jump_forgets_the_old_window_entirely()
    {
        var window = new ReplayWindow(128);
        for (ulong s = 1; s <= 200; s++)
        {
            window.Accept(s);
        }

        window.Accept(1_000_000);
        Assert.Equal(1_000_000UL, window.Highest);
        Assert.False(window.IsAcceptable(1_000_000));
        Assert.False(window.IsAcceptable(200));

        // Every number inside the new window except the top is unused, even where stale bits would alias.
        for (var s = 1_000_000UL - 127; s < 1_000_000UL; s++)
        {
            Assert.True(window.IsAcceptable(s), $"{s} should be acceptable");
        }

        Assert.False(window.IsAcceptable(1_000_000UL - 128));
    }

    [Fact]
    public void Jump_by_less_than_the_window_keeps_recent_history()
    {
        var window = new ReplayWindow(256);
        for (ulong s = 1; s <= 300; s++)
        {
            window.Accept(s);
        }

        window.Accept(400);
        for (ulong s = 145; s <= 300; s++)
        {
            Assert.False(window.IsAcceptable(s), $"{s} was seen");
        }

        for (ulong s = 301; s < 400; s++)
        {
            Assert.True(window.IsAcceptable(s), $"{s} was not seen");
        }

        Assert.False(window.IsAcceptable(144));
    }

    [Fact]
    public void Matches_a_reference_model_on_random_traffic()
    {
        var random = new Random(1234);
        foreach (var size in new[] { 64, 128, 1024 })
        {
            var window = new ReplayWindow(size);
            var seen = new HashSet<ulong>();
            ulong highest = 0;
            ulong next = 1;
            for (var i = 0; i < 20_000; i++)
            {
                // Mostly in-order traffic, with reordering, duplicates and the occasional jump.
                var roll = random.Next(100);
                var candidate = roll switch
                {
                    < 60 => next++,
                    < 85 => next > 200 ? next - (ulong)random.Next(1, 200) : next,
                    < 97 => seen.Count > 0 ? highest - (ulong)random.Next(0, (int)Math.Min(highest, 50)) : next,
                    _ => next += (ulong)random.Next(1, 5000),
                };

                var expected = candidate != 0 && !seen.Contains(candidate) && (candidate > highest || highest - candidate < (ulong)size);
                Assert.Equal(expected, window.IsAcceptable(candidate));
                if (expected)
                {
                    window.Accept(candidate);
                    seen.Add(candidate);
                    highest = Math.Max(highest, candidate);
                }
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-64)]
    [InlineData(65)]
    [InlineData(100)]
    public void Size_must_be_a_positive_multiple_of_64(int size)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplayWindow(size));
    }

    [Fact]
    public void Handles_numbers_near_the_top_of_the_range()
    {
        var window = new ReplayWindow(64);
        window.Accept(uint.MaxValue);
        Assert.False(window.IsAcceptable(uint.MaxValue));
        Assert.True(window.IsAcceptable(uint.MaxValue - 63UL));
        Assert.False(window.IsAcceptable(uint.MaxValue - 64UL));
    }
}
