namespace SharpSwan.Config;

/// <summary>A <c>user local</c> entry while its settings are applied.</summary>
internal sealed class UserLocalDraft(RawEntry entry)
{
    public RawEntry Entry { get; } = entry;

    public Secret? Password { get; set; }

    public bool Enabled { get; set; } = true;
}
