namespace SharpSwan.Interop.Tests.Harness;

/// <summary>One CHILD_SA as listed by <c>swanctl --list-sas</c>; SPIs as numbers so spelling does not matter.</summary>
public sealed record ChildSaEntry(string Name, string State, uint? InboundSpi, uint? OutboundSpi)
{
    public bool IsInstalled => State == "INSTALLED";
}
