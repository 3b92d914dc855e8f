using SharpSwan.Ike.Events;
using SharpSwan.Ike.Wire;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests.Scenarios;

/// <summary>
/// Issue 3 item 5 (`auto-negotiate enable`: negotiate at start without traffic; whenever phase 2 goes down, try again
/// every 5 seconds until it is up; implies keepalive; phase 1 first when it is down) and the article's sentences on it.
/// Retry times are asserted exactly, from the log (phase 1 up: one CREATE_CHILD attempt per retry) or from the wire
/// (phase 1 down: one IKE_SA_INIT per retry).
/// </summary>
public sealed class AutoNegotiateScenarios
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    /// <summary>Issue item 5: "negotiate at start without traffic"; phase 1 is brought up first, the child rides in IKE_AUTH.</summary>
    [Fact]
    public void Auto_negotiate_brings_phase1_then_phase2_up_at_start_without_any_traffic()
    {
        CheckedScenario.Run(seed: 36001, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { AutoNegotiate = true }, TunnelConfig.SiteB);
            var wire = new IkeWireTap(simulation);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            Assert.Equal(simulation.Clock.Start, Assert.Single(wire.InitRequestsFrom(Scenario.AddressA)).Time);
            Assert.Single(a.InstalledSas);
            Assert.Single(b.InstalledSas);
            Assert.Empty(wire.RequestsFrom(Scenario.AddressA, ExchangeType.CreateChildSa));
            Assert.Equal(0, a.Traffic(P1, P2).Sent + b.Traffic(P1, P2).Sent);
        });
    }

    /// <summary>Article: "However, keepalive gets implicitly enabled once auto-negotiation is enabled."</summary>
    [Fact]
    public void Auto_negotiate_implies_keepalive_even_with_keepalive_explicitly_disabled()
    {
        CheckedScenario.Run(seed: 36002, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(
                TunnelConfig.SiteA.Cheap(1800) with { AutoNegotiate = true, Keepalive = false, Dpd = "disable" },
                TunnelConfig.SiteB.Cheap(1800) with { Dpd = "disable" });
            Assert.False(a.Configuration.Phase2[0].Keepalive);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromDays(2));

            Assert.InRange(a.TimedSoftRekeys().Count(), 2 * 86400 / 1620, (2 * 86400 / 1600) + 1);
            Assert.False(simulation.AnyExpiry());
            Assert.DoesNotContain(simulation.Events<Phase2Down>(), e => e.Phase2 == "vpn-p2");
            Assert.Single(a.InstalledSas);
        });
    }

    /// <summary>
    /// Article: "Auto-negotiate: Enable the option to automatically renegotiate the tunnel when the tunnel expires." The peer
    /// (no keepalive, shorter lifetime) lets its SA expire and deletes it; the auto-negotiate side renegotiates at once.
    /// </summary>
    [Fact]
    public void When_the_peer_lets_the_SA_expire_auto_negotiate_renegotiates_at_once()
    {
        CheckedScenario.Run(seed: 36003, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(
                TunnelConfig.SiteA.Cheap(3600) with { AutoNegotiate = true, Dpd = "disable" },
                TunnelConfig.SiteB.Cheap(300) with { Dpd = "disable" });
            simulation.Start();
            simulation.RunFor(TimeSpan.FromHours(1));

            var downs = a.EventTimes<Phase2Down>(e => e.Phase2 == "vpn-p2" && e.Reason == "deleted by peer").ToList();
            var attempts = a.EventTimes<AutoNegotiateAttempted>(e => e.Phase2 == "vpn-p2").ToList();
            Assert.InRange(downs.Count, 11, 12);
            Assert.Equal(downs.Count, b.TimedHardExpiries().Count());

            // The first attempt is the start; each later one is in the very instant the peer's DELETE arrived.
            Assert.Equal([simulation.Clock.Start, .. downs], attempts);
            foreach (var down in downs)
            {
                var back = a.Timeline.First(e => e.Kind == SimulationEventKind.ChildInstalled && e.Time >= down).Time;
                Assert.True(back - down <= TimeSpan.FromMilliseconds(20), $"down at {down:HH:mm:ss.fff}, back at {back:HH:mm:ss.fff}");
            }
        });
    }

    /// <summary>Peer DELETE, then the peer refuses (its phase 2 removed, TS_UNACCEPTABLE) until it is restored 12 s later.</summary>
    [Fact]
    public void After_a_peer_DELETE_auto_negotiate_retries_exactly_every_5_seconds_until_up()
    {
        CheckedScenario.Run(seed: 36004, (simulation, _) =>
        {
            var siteB = TunnelConfig.SiteB.Cheap();
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA.Cheap() with { AutoNegotiate = true }, siteB);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromMinutes(2));

            // B drops the phase 2 from its configuration: DELETE to A, then every new attempt is refused.
            var downAt = simulation.Now;
            b.ApplyConfiguration(siteB.RenderPhase1());
            simulation.After(TimeSpan.FromSeconds(12), () => b.ApplyConfiguration(siteB.Render()));
            simulation.RunFor(TimeSpan.FromSeconds(30));

            var first = a.EventTimes<Phase2Down>(e => e.Phase2 == "vpn-p2" && e.Reason == "deleted by peer").First();
            Assert.InRange((first - downAt).TotalMilliseconds, 0, 20);
            var attempts = AttemptsAfter(a, first);
            Retries.AssertEveryFiveSeconds(attempts, first, 4);
            Assert.Equal(3, a.Events<NegotiationFailed>().Count(e => e.Notify == NotifyType.TsUnacceptable && !e.NotifySent));
            Assert.Single(a.InstalledSas);
            Assert.Single(b.InstalledSas);
        });
    }

    /// <summary>Failed negotiation: the peer's pre-shared key differs until it is fixed 12 s later; phase 1 retried every 5 s.</summary>
    [Fact]
    public void After_a_failed_negotiation_auto_negotiate_retries_exactly_every_5_seconds_until_up()
    {
        CheckedScenario.Run(seed: 36005, (simulation, _) =>
        {
            var siteB = TunnelConfig.SiteB.Cheap();
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA.Cheap() with { AutoNegotiate = true }, siteB with { Psk = "not-the-same-psk" });
            var wire = new IkeWireTap(simulation);
            simulation.After(TimeSpan.FromSeconds(12), () => b.ApplyConfiguration(siteB.Render()));
            simulation.Start();
            simulation.RunFor(TimeSpan.FromSeconds(30));

            Retries.AssertEveryFiveSeconds(AttemptsAfter(a, simulation.Clock.Start), simulation.Clock.Start, 4);
            Retries.AssertEveryFiveSeconds(wire.InitRequestsFrom(Scenario.AddressA).Select(m => m.Time).ToList(), simulation.Clock.Start, 4);
            Assert.Equal(3, b.Events<AuthenticationFailed>().Count(e => e.Reason.StartsWith("PSK auth failed", StringComparison.Ordinal)));
            Assert.Single(a.InstalledSas);
        });
    }

    /// <summary>IKE SA loss: the peer deletes the IKE SA and stays unreachable for 12 s.</summary>
    [Fact]
    public void After_the_IKE_SA_is_lost_auto_negotiate_sends_IKE_SA_INIT_exactly_every_5_seconds_until_up()
    {
        CheckedScenario.Run(seed: 36006, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA.Cheap() with { AutoNegotiate = true }, TunnelConfig.SiteB.Cheap());
            var wire = new IkeWireTap(simulation);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromMinutes(2));

            Assert.True(b.Terminate(P1, null));
            simulation.After(TimeSpan.FromMilliseconds(15), () => simulation.Network.Partition(Scenario.AddressA, Scenario.AddressB));
            simulation.After(TimeSpan.FromSeconds(12), () => simulation.Network.Heal(Scenario.AddressA, Scenario.AddressB));
            simulation.RunFor(TimeSpan.FromSeconds(30));

            var lost = Assert.Single(a.EventTimes<IkeSaDeleted>(e => e.Reason == "deleted by peer"));
            var inits = wire.InitRequestsFrom(Scenario.AddressA).Select(m => m.Time).Where(t => t >= lost).ToList();
            Retries.AssertEveryFiveSeconds(inits, lost, 4);
            Assert.Single(a.InstalledSas);
            Assert.True(a.Timeline.Last(e => e.Kind == SimulationEventKind.ChildInstalled).Time - inits[^1] < TimeSpan.FromMilliseconds(50));
        });
    }

    /// <summary>DPD failure behind a partition: dead after the DPD schedule, then IKE_SA_INIT every 5 s until the link heals.</summary>
    [Fact]
    public void After_DPD_declares_the_peer_dead_auto_negotiate_retries_every_5_seconds_and_is_up_within_5_seconds_of_the_heal()
    {
        CheckedScenario.Run(seed: 36007, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(
                TunnelConfig.SiteA.Cheap() with { AutoNegotiate = true, Dpd = "on-idle", DpdRetryInterval = 5, DpdRetryCount = 2 },
                TunnelConfig.SiteB.Cheap());
            var wire = new IkeWireTap(simulation);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromMinutes(1));

            simulation.Network.Partition(Scenario.AddressA, Scenario.AddressB);
            simulation.RunFor(TimeSpan.FromSeconds(60));
            var dead = a.EventTimes<DpdFailed>().First();
            Assert.Empty(a.InstalledSas);
            var healAt = simulation.Now + TimeSpan.FromSeconds(2.5);
            simulation.After(TimeSpan.FromSeconds(2.5), () => simulation.Network.Heal(Scenario.AddressA, Scenario.AddressB));
            simulation.RunFor(TimeSpan.FromSeconds(30));

            var inits = wire.InitRequestsFrom(Scenario.AddressA).Select(m => m.Time).Where(t => t >= dead).ToList();
            Retries.AssertEveryFiveSeconds(inits, dead, Retries.CountThrough(dead, healAt));
            var back = a.Timeline.Last(e => e.Kind == SimulationEventKind.ChildInstalled).Time;
            Assert.True(back - healAt <= TimeSpan.FromSeconds(5), $"back {(back - healAt).TotalSeconds} s after the link healed");
        });
    }

    /// <summary>Peer restart: the peer crashes and stays down 17 s; DPD finds it dead; retries every 5 s bring the tunnel back.</summary>
    [Fact]
    public void After_the_peer_restarts_auto_negotiate_retries_every_5_seconds_and_is_up_within_5_seconds_of_its_return()
    {
        CheckedScenario.Run(seed: 36008, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(
                TunnelConfig.SiteA.Cheap() with { AutoNegotiate = true, Dpd = "on-idle", DpdRetryInterval = 5, DpdRetryCount = 2 },
                TunnelConfig.SiteB.Cheap());
            var wire = new IkeWireTap(simulation);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromMinutes(1));

            b.Crash();
            simulation.RunFor(TimeSpan.FromSeconds(40));
            var dead = a.EventTimes<DpdFailed>().First();
            var bootAt = simulation.Now;
            b.Boot();
            simulation.RunFor(TimeSpan.FromSeconds(30));

            var inits = wire.InitRequestsFrom(Scenario.AddressA).Select(m => m.Time).Where(t => t >= dead).ToList();
            Retries.AssertEveryFiveSeconds(inits, dead, Retries.CountThrough(dead, bootAt));
            var back = a.Timeline.Last(e => e.Kind == SimulationEventKind.ChildInstalled).Time;
            Assert.True(back - bootAt <= TimeSpan.FromSeconds(5), $"back {(back - bootAt).TotalSeconds} s after the peer returned");
            Assert.Single(b.InstalledSas);
        });
    }

    /// <summary>Configuration change (Engine.ApplyConfiguration): a proposal the peer refuses, then the peer is updated 12 s later.</summary>
    [Fact]
    public void After_a_configuration_change_auto_negotiate_retries_exactly_every_5_seconds_until_up()
    {
        CheckedScenario.Run(seed: 36009, (simulation, _) =>
        {
            var siteA = TunnelConfig.SiteA.Cheap() with { AutoNegotiate = true };
            var siteB = TunnelConfig.SiteB.Cheap();
            var (a, b) = simulation.AddPair(siteA, siteB);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromMinutes(2));
            var before = a.InstalledSas.Single();

            var changedAt = simulation.Now;
            a.ApplyConfiguration((siteA with { Phase2Proposals = "chacha20poly1305" }).Render());
            simulation.After(TimeSpan.FromSeconds(12), () => b.ApplyConfiguration((siteB with { Phase2Proposals = "chacha20poly1305" }).Render()));
            simulation.RunFor(TimeSpan.FromSeconds(30));

            Retries.AssertEveryFiveSeconds(AttemptsAfter(a, changedAt), changedAt, 4);
            Assert.Equal(3, a.Events<NegotiationFailed>().Count(e => e.Notify == NotifyType.NoProposalChosen && !e.NotifySent));
            var after = Assert.Single(a.InstalledSas);
            Assert.NotEqual(before.InboundSpi, after.InboundSpi);
            Assert.Equal(Crypto.EncryptionAlgorithm.ChaCha20Poly1305, after.Suite.Encryption);
        });
    }

    private static List<DateTimeOffset> AttemptsAfter(SimulatedGateway gateway, DateTimeOffset from) =>
        gateway.EventTimes<AutoNegotiateAttempted>(e => e.Phase2 == "vpn-p2").Where(t => t >= from).ToList();
}
