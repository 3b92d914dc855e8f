namespace SharpSwan.Simulation.Tests.Support;

/// <summary>
/// Runs a lifecycle scenario with <see cref="LifecycleInvariants"/> watching throughout: the body's own assertions, then
/// the invariants (one SA per selector once settled, no loss during rekeys on a lossless network, nothing used past its
/// hard lifetime). Any failure reports the seed, the violations and the simulation's timeline.
/// </summary>
internal static class CheckedScenario
{
    public static InvariantReport Run(int seed, Action<Simulation, LifecycleInvariants> body, Func<Simulation, LifecycleInvariants>? createChecker = null)
    {
        InvariantReport? report = null;
        Scenario.Run(seed, simulation =>
        {
            var invariants = createChecker?.Invoke(simulation) ?? new LifecycleInvariants(simulation);
            body(simulation, invariants);
            invariants.ThrowIfViolated();
            report = invariants.Check();
        });
        return report!;
    }
}
