namespace SharpSwan.Config;

/// <summary>A <c>firewall policy</c> entry while its settings are applied.</summary>
internal sealed class FirewallPolicyDraft(RawEntry entry, long id)
{
    public RawEntry Entry { get; } = entry;

    public FirewallPolicy Policy { get; set; } = new() { Id = id, SourceLine = entry.NameToken.Line };
}
