namespace SharpSwan.Config;

/// <summary>A <c>firewall schedule recurring</c> or <c>onetime</c> entry while its settings are applied.</summary>
internal sealed class FirewallScheduleDraft(RawEntry entry, bool recurring)
{
    public RawEntry Entry { get; } = entry;

    public FirewallSchedule Schedule { get; set; } = new(entry.Name) { Recurring = recurring, SourceLine = entry.NameToken.Line };
}
