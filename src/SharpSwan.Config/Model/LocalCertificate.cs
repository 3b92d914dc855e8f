using System.Collections.Immutable;
using System.Text;

namespace SharpSwan.Config;

/// <summary>
/// One <c>config vpn certificate local</c> entry: the gateway's own certificate and its private key, as PEM text
/// (read from <c>certificate-file</c>/<c>private-key-file</c> at load time when the file names them).
/// </summary>
/// <param name="Name">The <c>edit</c> name, referenced by phase 1 <c>set certificate</c>.</param>
/// <param name="CertificatePem">The certificate, optionally followed by its issuing chain (CERTIFICATE blocks only).</param>
/// <param name="PrivateKeyPem">The private key's PEM text (PKCS#8, RSA or EC, possibly encrypted); never printed.</param>
/// <param name="Password">Decrypts an <c>ENCRYPTED PRIVATE KEY</c>; null for a plain key.</param>
public sealed record LocalCertificate(string Name, string CertificatePem, Secret PrivateKeyPem, Secret? Password)
{
    /// <summary>FortiOS limits certificate names to 35 characters.</summary>
    public const int MaxNameLength = 35;

    /// <summary>Full path of <c>certificate-file</c> when the PEM came from a file; the writer prints the path instead of the PEM.</summary>
    public string? CertificateFile { get; init; }

    /// <summary>Full path of <c>private-key-file</c> when the key came from a file; the writer prints the path, never the key.</summary>
    public string? PrivateKeyFile { get; init; }

    /// <summary>Other FortiOS settings we accept and keep verbatim (<c>comments</c>, <c>range</c>, <c>source</c>).</summary>
    public ImmutableArray<ConfigSetting> OtherSettings { get; init; } = [];

    /// <summary>Line of the <c>edit</c> (ignored by equality).</summary>
    [SourceLocation]
    public int SourceLine { get; init; }

    /// <summary>The private key's PEM text, for the code that builds the signing credential.</summary>
    public string GetPrivateKeyPem() => Encoding.UTF8.GetString(PrivateKeyPem.Bytes);

    /// <summary>The key's password as text, or null when the key is not encrypted.</summary>
    public string? GetPassword() => Password is null ? null : Encoding.UTF8.GetString(Password.Bytes);

    public bool Equals(LocalCertificate? other) => ModelEquality.MembersEqual(this, other);

    public override int GetHashCode() => ModelEquality.MembersHash(this);

    private bool PrintMembers(StringBuilder builder) => ModelEquality.PrintMembers(this, builder);
}
