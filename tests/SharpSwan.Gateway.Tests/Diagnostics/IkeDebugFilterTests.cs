using System.Net;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Ike.Logging;

namespace SharpSwan.Gateway.Tests.Diagnostics;

public sealed class IkeDebugFilterTests
{
    private static readonly IkeDebugLine ToBranch = Line("ike 0:to-branch:1: established IKE SA", "to-branch", "192.0.2.1", "198.51.100.2");
    private static readonly IkeDebugLine ToOther = Line("ike 0:to-other:1: established IKE SA", "to-other", "192.0.2.1", "203.0.113.7");
    private static readonly IkeDebugLine Unattributed = Line("ike 0: 5 half-open IKE SAs", null, null, null);

    [Fact]
    public void EmptyFilter_PassesEverything()
    {
        var filter = IkeDebugFilter.From(new Dictionary<string, string>());
        Assert.True(filter.IsEmpty);
        Assert.True(filter.Matches(ToBranch) && filter.Matches(ToOther) && filter.Matches(Unattributed));
    }

    [Fact]
    public void Name_MatchesOnlyThatPhase1()
    {
        var filter = IkeDebugFilter.From(new Dictionary<string, string> { [IkeDebugFilter.NameKey] = "to-branch" });
        Assert.True(filter.Matches(ToBranch));
        Assert.False(filter.Matches(ToOther));
        Assert.False(filter.Matches(Unattributed));
    }

    [Fact]
    public void DstAddr4_IsTheRemoteGateway_AndTakesRanges()
    {
        var single = IkeDebugFilter.From(new Dictionary<string, string> { [IkeDebugFilter.DestinationKey] = "198.51.100.2" });
        Assert.True(single.Matches(ToBranch));
        Assert.False(single.Matches(ToOther));

        var range = IkeDebugFilter.From(new Dictionary<string, string> { [IkeDebugFilter.DestinationKey] = "203.0.113.0-203.0.113.10" });
        Assert.False(range.Matches(ToBranch));
        Assert.True(range.Matches(ToOther));
        Assert.False(range.Matches(Unattributed));
    }

    [Fact]
    public void SrcAddr4_IsTheLocalAddress_AndAllConditionsMustHold()
    {
        var filter = IkeDebugFilter.From(new Dictionary<string, string>
        {
            [IkeDebugFilter.SourceKey] = "192.0.2.1",
            [IkeDebugFilter.NameKey] = "to-other",
        });
        Assert.False(filter.Matches(ToBranch));
        Assert.True(filter.Matches(ToOther));
        Assert.False(IkeDebugFilter.From(new Dictionary<string, string> { [IkeDebugFilter.SourceKey] = "192.0.2.2" }).Matches(ToBranch));
    }

    [Theory]
    [InlineData(0, IkeLogLevel.Event, false)]
    [InlineData(-1, IkeLogLevel.Packet, true)]
    [InlineData(255, IkeLogLevel.Packet, true)]
    [InlineData(1, IkeLogLevel.Event, true)]
    [InlineData(1, IkeLogLevel.Negotiation, false)]
    [InlineData(2, IkeLogLevel.Negotiation, true)]
    [InlineData(2, IkeLogLevel.Packet, false)]
    public void LevelShows_FollowsTheDebugLevel(int level, IkeLogLevel line, bool shown) =>
        Assert.Equal(shown, IkeDebugFilter.LevelShows(level, line));

    [Theory]
    [InlineData("10.0.0.1", true, "10.0.0.1")]
    [InlineData("10.0.0.1-10.0.0.9", true, "10.0.0.1-10.0.0.9")]
    [InlineData("10.0.0.9-10.0.0.1", false, null)]
    [InlineData("10.0.0", false, null)]
    [InlineData("::1", false, null)]
    [InlineData("name", false, null)]
    public void Ipv4Range_Parses(string text, bool valid, string? shown)
    {
        Assert.Equal(valid, Ipv4Range.TryParse(text, out var range));
        if (valid)
        {
            Assert.Equal(shown, range.ToString());
        }
    }

    [Fact]
    public void Ipv4Range_Contains_IsInclusive()
    {
        Assert.True(Ipv4Range.TryParse("10.0.0.1", "10.0.0.9", out var range));
        Assert.True(range.Contains(IPAddress.Parse("10.0.0.1")));
        Assert.True(range.Contains(IPAddress.Parse("10.0.0.9")));
        Assert.False(range.Contains(IPAddress.Parse("10.0.0.10")));
        Assert.False(range.Contains(null));
    }

    [Fact]
    public void Format_AddsTheConsoleTimestampOnlyWhenAsked()
    {
        var line = new IkeDebugLine(new DateTimeOffset(2026, 5, 26, 7, 49, 6, TimeSpan.Zero), IkeLogLevel.Event, "ike 0:p1: auto-negotiate connection", "p1", null, null);
        Assert.Equal("ike 0:p1: auto-negotiate connection", line.Format(timestamp: false));
        Assert.Equal("2026-05-26 07:49:06 ike 0:p1: auto-negotiate connection", line.Format(timestamp: true));
    }

    private static IkeDebugLine Line(string text, string? phase1, string? local, string? remote) =>
        new(DateTimeOffset.UnixEpoch, IkeLogLevel.Event, text, phase1,
            local is null ? null : new IPEndPoint(IPAddress.Parse(local), 500),
            remote is null ? null : new IPEndPoint(IPAddress.Parse(remote), 500));
}
