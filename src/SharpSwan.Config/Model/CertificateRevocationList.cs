using System.Collections.Immutable;
using System.Text;

namespace SharpSwan.Config;

/// <summary>
/// One <c>config vpn certificate crl</c> entry: a CRL whose listed certificates are refused at IKE authentication when the
/// CRL's issuer (a configured CA or an intermediate a peer sends) signed it.
/// </summary>
/// <param name="Name">The <c>edit</c> name.</param>
/// <param name="CrlPem">The CRL(s) as PEM text (from <c>crl</c>, or read from <c>crl-file</c> at load time).</param>
public sealed record CertificateRevocationList(string Name, string CrlPem)
{
    /// <summary>FortiOS limits certificate names to 35 characters.</summary>
    public const int MaxNameLength = 35;

    /// <summary>Full path of <c>crl-file</c> when the PEM came from a file; the writer prints the path instead of the PEM.</summary>
    public string? CrlFile { get; init; }

    /// <summary>Other FortiOS settings we accept and keep verbatim (<c>range</c>, <c>source</c>, <c>last-updated</c>).</summary>
    public ImmutableArray<ConfigSetting> OtherSettings { get; init; } = [];

    /// <summary>Line of the <c>edit</c> (ignored by equality).</summary>
    [SourceLocation]
    public int SourceLine { get; init; }

    public bool Equals(CertificateRevocationList? other) => ModelEquality.MembersEqual(this, other);

    public override int GetHashCode() => ModelEquality.MembersHash(this);

    private bool PrintMembers(StringBuilder builder) => ModelEquality.PrintMembers(this, builder);
}
