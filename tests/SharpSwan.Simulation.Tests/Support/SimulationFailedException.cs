namespace SharpSwan.Simulation.Tests.Support;

/// <summary>Wraps a failed assertion with the seed and the simulation's state, so the run can be replayed.</summary>
public sealed class SimulationFailedException(string message, Exception inner) : Exception(message, inner);
