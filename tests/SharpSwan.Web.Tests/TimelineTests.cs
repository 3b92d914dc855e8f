using Microsoft.Extensions.Time.Testing;
using SharpSwan.Web.Monitoring;
using SharpSwan.Web.Tests.Support;

namespace SharpSwan.Web.Tests;

public sealed class TimelineTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-03-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The engine's event lines for: IKE up, SA up, a rekey, the old SA retiring, a failure, the last SA expiring.</summary>
    private static readonly string[] Lines =
    [
        "2026-03-01 11:00:00 ike 0:hq:1: established IKE SA 1111111111111111/2222222222222222 initiator 192.0.2.1:500->198.51.100.2:500 proposal AES-GCM-16-256/PRF-SHA384 dhgrp 20, peer id branch",
        "ike 0:hq:1:p2:1: added IPsec SA: SPIs=aaaaaaa1/bbbbbbb1 proposal aes256gcm pfs dhgrp 20 initiator",
        "ike 0:hq:1:p2:2: added IPsec SA: SPIs=aaaaaaa2/bbbbbbb2 proposal aes256gcm pfs dhgrp 20 initiator",
        "ike 0:hq:1:p2:1: IPsec SA aaaaaaa1/bbbbbbb1 expired (hard lifetime)",
        "ike 0:hq:1:p2:1: deleted IPsec SA: SPIs=aaaaaaa1/bbbbbbb1 (expired)",
        "ike 0:hq:1: negotiation failure for p2: peer answered NO_PROPOSAL_CHOSEN",
        "ike 0:hq:1:p2:2: IPsec SA aaaaaaa2/bbbbbbb2 expired (hard lifetime)",
        "ike 0:hq:1:p2:2: deleted IPsec SA: SPIs=aaaaaaa2/bbbbbbb2 (expired)",
        "ike 0:hq: phase2 p2 down (expired)",
        "ike 0:hq:1: IKE SA 1111111111111111/2222222222222222 deleted (administrative down)",
        "ike 0: ignoring IKE request from 203.0.113.5:500: no phase1 configured for this peer",
        "ike 0:other:1:x:1: added IPsec SA: SPIs=00000001/00000002 proposal aes128gcm responder",
    ];

    [Fact]
    public void EngineLines_BecomeInstallsRekeysExpiriesAndFailures()
    {
        var time = new FakeTimeProvider(Start);
        var timeline = new TunnelTimeline(time);
        foreach (var line in Lines)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            timeline.Observe(line);
        }

        var events = timeline.EventsFor("hq", Start);
        Assert.Equal(
            [
                TimelineEventKind.IkeUp, TimelineEventKind.SaInstalled, TimelineEventKind.SaRekeyed,
                TimelineEventKind.NegotiationFailure, TimelineEventKind.SaExpired, TimelineEventKind.SelectorDown,
                TimelineEventKind.IkeDown,
            ],
            events.Select(e => e.Kind));
        Assert.All(events.Skip(1).Take(5), e => Assert.Equal("p2", e.Selector));
        Assert.Equal(Start.AddMinutes(3), events[2].At);
        Assert.Contains("NO_PROPOSAL_CHOSEN", events[3].Detail, StringComparison.Ordinal);
        Assert.Equal(TimelineEventKind.SaInstalled, Assert.Single(timeline.EventsFor("other", Start)).Kind);
    }

    [Fact]
    public void OldEvents_FallOutOfTheWindow()
    {
        var time = new FakeTimeProvider(Start);
        var timeline = new TunnelTimeline(time);
        timeline.Observe(Lines[1]);
        time.Advance(TunnelTimeline.Retention + TimeSpan.FromMinutes(1));
        timeline.Observe(Lines[2]);

        var events = timeline.EventsFor("hq", DateTimeOffset.MinValue);
        Assert.Equal(TimelineEventKind.SaRekeyed, Assert.Single(events).Kind);
        Assert.Empty(timeline.EventsFor("hq", time.GetUtcNow().AddSeconds(1)));
    }

    [Fact]
    public async Task TimelinePage_DrawsOneMarkerPerEvent()
    {
        var time = new FakeTimeProvider(Start);
        await using var host = await WebTestHost.StartAsync(time);
        foreach (var line in Lines)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            host.Timeline.Observe(line.Replace("ike 0:hq:", "ike 0:to-branch:", StringComparison.Ordinal));
        }

        var (client, _) = await host.LoginAsync();
        using (client)
        {
            var page = await client.GetStringAsync("/ipsec/timeline/to-branch?hours=1");
            Assert.Contains("<svg class=\"timeline\" id=\"timeline-chart\"", page, StringComparison.Ordinal);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(page, "class=\"event ev-rekey\""));
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(page, "class=\"event ev-install\""));
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(page, "class=\"event ev-failure\""));
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(page, "class=\"event ev-expiry\""));
            Assert.Equal(7, System.Text.RegularExpressions.Regex.Matches(page, "<tr class=\"event-row\"").Count);
        }
    }
}
