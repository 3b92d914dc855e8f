namespace SharpSwan.Tests;

/// <summary>Tests that redirect the process-wide Console must not run in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}
