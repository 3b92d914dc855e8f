namespace SharpSwan.Simulation.Tests.Scenarios;

/// <summary>Tests that measure retained memory run with no other test alongside.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection
{
    public const string Name = "memory measurement";
}
