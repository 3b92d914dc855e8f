namespace SharpSwan.Config;

/// <summary>A <c>system admin</c> entry while its settings are applied.</summary>
internal sealed class AdminDraft(RawEntry entry)
{
    public RawEntry Entry { get; } = entry;

    public PasswordHash? Password { get; set; }
}
