namespace SharpSwan.Config;

/// <summary>A <c>system api-user</c> entry while its settings are applied.</summary>
internal sealed class ApiUserDraft(RawEntry entry)
{
    public RawEntry Entry { get; } = entry;

    public PasswordHash? ApiKey { get; set; }
}
