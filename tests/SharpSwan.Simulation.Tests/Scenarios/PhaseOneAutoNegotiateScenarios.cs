using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Wire;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests.Scenarios;

/// <summary>
/// Issue 11 item 15: phase 1 <c>auto-negotiate</c> (FortiOS default enable) brings the IKE SA up at start and keeps it up
/// although no phase 2 asks for one (phase 2 auto-negotiate disable, no traffic); <c>disable</c> waits for a phase 2 or
/// traffic. Asserted on the wire (IKE_SA_INIT requests) and on the engines' SAs and typed events.
/// </summary>
public sealed class PhaseOneAutoNegotiateScenarios
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    [Fact]
    public void Enable_brings_the_IKE_SA_up_at_start_without_a_phase2_that_asks()
    {
        CheckedScenario.Run(seed: 36101, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { Phase1AutoNegotiate = true }, TunnelConfig.SiteB);
            Assert.False(a.Configuration.Phase2[0].AutoNegotiate);
            var wire = new IkeWireTap(simulation);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromSeconds(2));

            Assert.Equal(simulation.Clock.Start, Assert.Single(wire.InitRequestsFrom(Scenario.AddressA)).Time);
            Assert.Empty(wire.InitRequestsFrom(Scenario.AddressB));
            Assert.Equal(IkeSaState.Established, Assert.Single(a.IkeSas).State);
            Assert.Equal(IkeSaState.Established, Assert.Single(b.IkeSas).State);
            Assert.Equal(P2, Assert.Single(a.Events<Phase1AutoNegotiateAttempted>()).Phase2);
            Assert.Equal(0, a.Traffic(P1, P2).Sent + b.Traffic(P1, P2).Sent);
        });
    }

    [Fact]
    public void Disable_waits_for_traffic_or_a_phase2_and_sends_nothing_on_its_own()
    {
        CheckedScenario.Run(seed: 36102, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA, TunnelConfig.SiteB);
            Assert.False(a.Configuration.Phase1[0].AutoNegotiate);
            var wire = new IkeWireTap(simulation);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromMinutes(5));

            Assert.Empty(wire.InitRequestsFrom(Scenario.AddressA));
            Assert.Empty(a.IkeSas);
            Assert.Empty(b.IkeSas);
            Assert.Empty(a.Events<Phase1AutoNegotiateAttempted>());
        });
    }

    /// <summary>The child that rode in IKE_AUTH expires unused (no keepalive, no traffic); the IKE SA stays up.</summary>
    [Fact]
    public void Enable_keeps_the_IKE_SA_up_after_its_only_child_expires()
    {
        CheckedScenario.Run(seed: 36103, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(
                TunnelConfig.SiteA.Cheap(300) with { Phase1AutoNegotiate = true, Dpd = "disable" },
                TunnelConfig.SiteB.Cheap(300) with { Dpd = "disable" });
            var wire = new IkeWireTap(simulation);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromMinutes(20));

            Assert.Empty(a.InstalledSas);
            Assert.Equal(IkeSaState.Established, Assert.Single(a.IkeSas).State);
            Assert.Equal(IkeSaState.Established, Assert.Single(b.IkeSas).State);
            Assert.Single(wire.InitRequestsFrom(Scenario.AddressA));
        });
    }

    /// <summary>When the IKE SA goes (here the peer deletes it), enable brings it straight back.</summary>
    [Fact]
    public void Enable_brings_the_IKE_SA_back_when_the_peer_deletes_it()
    {
        CheckedScenario.Run(seed: 36104, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { Phase1AutoNegotiate = true, Dpd = "disable" }, TunnelConfig.SiteB with { Dpd = "disable" });
            var wire = new IkeWireTap(simulation);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromSeconds(2));
            var first = Assert.Single(a.IkeSas);

            Assert.True(b.Terminate(P1, null));
            simulation.RunFor(TimeSpan.FromSeconds(2));

            var again = Assert.Single(a.IkeSas);
            Assert.Equal(IkeSaState.Established, again.State);
            Assert.NotEqual(first.InitiatorSpi, again.InitiatorSpi);
            Assert.Equal(2, wire.InitRequestsFrom(Scenario.AddressA).Count());
            Assert.Equal(2, a.Events<Phase1AutoNegotiateAttempted>().Count());
        });
    }
}
