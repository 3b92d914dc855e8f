namespace SharpSwan.Config;

/// <summary>A <c>vpn certificate ca</c> entry while its settings are applied.</summary>
/// <param name="baseDirectory">Where a relative <c>ca-file</c> path starts; null for the current directory.</param>
internal sealed class CaCertificateDraft(RawEntry entry, string? baseDirectory)
{
    public RawEntry Entry { get; } = entry;

    public string? BaseDirectory { get; } = baseDirectory;

    public string? CertificatePem { get; set; }

    public string? CertificateFile { get; set; }
}
