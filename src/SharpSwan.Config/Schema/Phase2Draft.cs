namespace SharpSwan.Config;

/// <summary>A phase 2 entry while its settings are applied.</summary>
internal sealed class Phase2Draft(RawEntry entry, bool interfaceMode)
{
    public RawEntry Entry { get; } = entry;

    public Phase2Settings Settings { get; set; } = new()
    {
        Name = entry.Name,
        Phase1Name = "",
        IsInterfaceMode = interfaceMode,
        SourceLine = entry.NameToken.Line,
    };

    public AddressParts Source { get; } = new();

    public AddressParts Destination { get; } = new();
}
