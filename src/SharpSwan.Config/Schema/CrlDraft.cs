namespace SharpSwan.Config;

/// <summary>A <c>vpn certificate crl</c> entry while its settings are applied.</summary>
/// <param name="baseDirectory">Where a relative <c>crl-file</c> path starts; null for the current directory.</param>
internal sealed class CrlDraft(RawEntry entry, string? baseDirectory)
{
    public RawEntry Entry { get; } = entry;

    public string? BaseDirectory { get; } = baseDirectory;

    public string? CrlPem { get; set; }

    public string? CrlFile { get; set; }
}
