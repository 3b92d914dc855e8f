namespace SharpSwan.Config;

/// <summary>A <c>system accprofile</c> entry while its settings are applied (every field is kept verbatim).</summary>
internal sealed class AccessProfileDraft(RawEntry entry)
{
    public RawEntry Entry { get; } = entry;
}
