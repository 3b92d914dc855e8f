namespace SharpSwan.Config;

/// <summary>A phase 1 entry while its settings are applied.</summary>
internal sealed class Phase1Draft(RawEntry entry, bool interfaceMode)
{
    public RawEntry Entry { get; } = entry;

    public Phase1Settings Settings { get; set; } = new()
    {
        Name = entry.Name,
        IsInterfaceMode = interfaceMode,
        SourceLine = entry.NameToken.Line,
    };
}
