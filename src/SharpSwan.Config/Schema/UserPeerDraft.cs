namespace SharpSwan.Config;

/// <summary>A <c>user peer</c> entry while its settings are applied.</summary>
internal sealed class UserPeerDraft(RawEntry entry)
{
    public RawEntry Entry { get; } = entry;

    public string? Ca { get; set; }

    public string? Subject { get; set; }

    public string? Cn { get; set; }

    public string CnType { get; set; } = "string";
}
