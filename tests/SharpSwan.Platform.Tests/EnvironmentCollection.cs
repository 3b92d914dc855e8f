namespace SharpSwan.Platform.Tests;

/// <summary>Tests that change process-wide environment variables run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    public const string Name = "process environment";
}
