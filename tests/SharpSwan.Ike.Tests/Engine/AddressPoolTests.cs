using System.Net;
using SharpSwan.Ike.Engine;

namespace SharpSwan.Ike.Tests.Engine;

public sealed class AddressPoolTests
{
    private static AddressPool Pool(string start = "10.10.10.1", string end = "10.10.10.3") => new(IPAddress.Parse(start), IPAddress.Parse(end));

    [Fact]
    public void Leases_each_address_once_and_reports_exhaustion()
    {
        var pool = Pool();
        var leased = new[] { pool.Lease("a"), pool.Lease("b"), pool.Lease("c") };
        Assert.Equal(["10.10.10.1", "10.10.10.2", "10.10.10.3"], leased.Select(a => a!.ToString()));
        Assert.Null(pool.Lease("d"));
        Assert.Equal(3, pool.InUse);
        Assert.Equal(3, pool.Size);
    }

    [Fact]
    public void A_returning_owner_gets_its_address_back_while_it_is_free()
    {
        var pool = Pool();
        var first = pool.Lease("a")!;
        pool.Lease("b");
        pool.Release(first);
        Assert.False(pool.IsLeased(first));

        // Never-used addresses go first, so a's old address is still free when it returns.
        Assert.Equal("10.10.10.3", pool.Lease("c")!.ToString());
        Assert.Equal(first, pool.Lease("a"));
    }

    [Fact]
    public void A_freed_address_goes_to_someone_else_once_fresh_ones_run_out_and_its_old_owner_then_gets_another()
    {
        var pool = Pool(end: "10.10.10.2");
        var a = pool.Lease("a")!;
        pool.Lease("b");
        pool.Release(a);
        Assert.Equal(a, pool.Lease("c"));
        Assert.Null(pool.Lease("a"));
        pool.Release(IPAddress.Parse("10.10.10.2"));
        Assert.Equal("10.10.10.2", pool.Lease("a")!.ToString());
    }

    [Fact]
    public void Once_the_range_was_handed_out_the_lowest_address_given_back_goes_first_and_only_a_free_one_returns_to_its_owner()
    {
        var pool = Pool(end: "10.10.10.250");
        var owners = Enumerable.Range(0, 250).Select(i => $"peer{i}").ToList();
        var leases = owners.ToDictionary(o => o, o => pool.Lease(o)!);
        Assert.Null(pool.Lease("late"));

        // Given back out of order: the next peers get them lowest first.
        foreach (var i in new[] { 200, 7, 120 })
        {
            pool.Release(leases[owners[i]]);
        }

        Assert.Equal(leases[owners[7]], pool.Lease("x"));
        Assert.Equal(leases[owners[120]], pool.Lease("y"));

        // peer7's address is x's now: peer7 gets the one still free, and is not handed x's.
        Assert.Equal(leases[owners[200]], pool.Lease(owners[7]));
        Assert.Null(pool.Lease(owners[200]));
        Assert.Equal(250, pool.InUse);
    }

    [Fact]
    public void Covers_tells_whether_the_range_changed()
    {
        var pool = Pool();
        Assert.True(pool.Covers(IPAddress.Parse("10.10.10.1"), IPAddress.Parse("10.10.10.3")));
        Assert.False(pool.Covers(IPAddress.Parse("10.10.10.1"), IPAddress.Parse("10.10.10.4")));
    }
}
