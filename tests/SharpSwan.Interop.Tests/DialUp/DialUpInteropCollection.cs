namespace SharpSwan.Interop.Tests.DialUp;

/// <summary>The dial-up interop test classes share one <see cref="DialUpScenarioRuns"/>, so all their scenarios run side by side.</summary>
[CollectionDefinition(Name)]
public sealed class DialUpInteropCollection : ICollectionFixture<DialUpScenarioRuns>
{
    public const string Name = "Dial-up interop";
}
