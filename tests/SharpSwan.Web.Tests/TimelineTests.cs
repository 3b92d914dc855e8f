using SharpSwan.Web.Monitoring;
using SharpSwan.Web.Tests.Support;

namespace SharpSwan.Web.Tests;

/// <summary>The timeline fed by a real gateway engine's typed events (<see cref="TimelineScenario"/>), never by log text.</summary>
public sealed class TimelineTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-03-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(300);

    [Fact]
    public void EngineEvents_BecomeInstallsRekeysExpiriesAndFailures()
    {
        var timeline = new TunnelTimeline();
        using var scenario = new TimelineScenario(timeline, "hq", "p2", Lifetime, Start);
        var rekeyAt = PlayTunnelLife(scenario);
        scenario.OthersKnock();

        var events = timeline.EventsFor("hq", Start);
        Assert.Equal(
            [
                TimelineEventKind.IkeUp, TimelineEventKind.SaInstalled, TimelineEventKind.SaRekeyed,
                TimelineEventKind.NegotiationFailure, TimelineEventKind.SaExpired, TimelineEventKind.SelectorDown,
                TimelineEventKind.IkeDown,
            ],
            events.Select(e => e.Kind));
        Assert.All(events.Skip(1).Take(5), e => Assert.Equal("p2", e.Selector));
        Assert.Equal(rekeyAt, events[2].At);
        Assert.Contains("NO_PROPOSAL_CHOSEN", events[3].Detail, StringComparison.Ordinal);

        // The other tunnel's SA is on its own timeline; the stranger the gateway refused is on none.
        Assert.Equal(TimelineEventKind.SaInstalled, Assert.Single(timeline.EventsFor(TimelineScenario.OtherTunnel, Start), e => e.Selector is not null).Kind);
        Assert.NotEmpty(scenario.Gateway.Of<Ike.Events.PeerRefused>());
    }

    [Fact]
    public void OldEvents_FallOutOfTheWindow()
    {
        var timeline = new TunnelTimeline();
        using var scenario = new TimelineScenario(timeline, "hq", "p2", TimeSpan.FromHours(48), Start);
        scenario.BringUp();
        Assert.Contains(timeline.EventsFor("hq", DateTimeOffset.MinValue), e => e.Kind == TimelineEventKind.SaInstalled);
        scenario.Wait(TunnelTimeline.Retention + TimeSpan.FromMinutes(1));
        scenario.PeerRekeys();

        var events = timeline.EventsFor("hq", DateTimeOffset.MinValue);
        Assert.Equal(TimelineEventKind.SaRekeyed, Assert.Single(events).Kind);
        Assert.Empty(timeline.EventsFor("hq", scenario.Now.AddSeconds(1)));
    }

    [Fact]
    public async Task TimelinePage_DrawsOneMarkerPerEvent()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        await using var host = await WebTestHost.StartAsync(time);
        using var scenario = new TimelineScenario(host.Timeline, "to-branch", "to-branch-p2", Lifetime, Start);
        PlayTunnelLife(scenario);
        time.SetUtcNow(scenario.Now);

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

    [Fact]
    public async Task TimelinePage_OfAnUnknownTunnel_IsNotFound_LikeItsEditPage()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        await using var host = await WebTestHost.StartAsync(time);

        // A tunnel no longer configured whose history is kept (a dial-up peer that left) still has its page.
        using var scenario = new TimelineScenario(host.Timeline, "gone_0", "p2", Lifetime, Start);
        scenario.BringUp();
        time.SetUtcNow(scenario.Now);

        var (client, _) = await host.LoginAsync();
        using (client)
        {
            using var unknown = await client.GetAsync("/ipsec/timeline/nope");
            using var edit = await client.GetAsync("/ipsec/tunnels/nope/edit");
            using var quiet = await client.GetAsync("/ipsec/timeline/to-branch");
            using var history = await client.GetAsync("/ipsec/timeline/gone_0");
            Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, edit.StatusCode);
            Assert.Contains("There is no tunnel named nope.", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(System.Net.HttpStatusCode.OK, quiet.StatusCode);
            Assert.Equal(System.Net.HttpStatusCode.OK, history.StatusCode);
        }
    }

    /// <summary>
    /// One life of the tunnel, a minute or two apart: up, rekeyed by the peer, a refused rekey, the last SA expiring
    /// (its selector goes down), the tunnel brought down. Returns when the rekey happened.
    /// </summary>
    private static DateTimeOffset PlayTunnelLife(TimelineScenario scenario)
    {
        scenario.Wait(TimeSpan.FromMinutes(1));
        scenario.BringUp();
        scenario.Wait(TimeSpan.FromMinutes(2));
        var rekeyAt = scenario.PeerRekeys();
        scenario.Wait(TimeSpan.FromMinutes(1));
        scenario.RekeyIsRefused();
        scenario.Wait(Lifetime);
        scenario.Terminate();
        return rekeyAt;
    }
}
