namespace SharpSwan.Config;

/// <summary>A <c>vpn certificate local</c> entry while its settings are applied.</summary>
/// <param name="baseDirectory">Where relative <c>*-file</c> paths start; null for the current directory.</param>
internal sealed class LocalCertificateDraft(RawEntry entry, string? baseDirectory)
{
    public RawEntry Entry { get; } = entry;

    public string? BaseDirectory { get; } = baseDirectory;

    public string? CertificatePem { get; set; }

    public string? CertificateFile { get; set; }

    public Secret? PrivateKey { get; set; }

    public string? PrivateKeyFile { get; set; }

    public Secret? Password { get; set; }
}
