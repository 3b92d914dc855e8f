using System.Collections.Immutable;
using System.Text;

namespace SharpSwan.Config;

/// <summary>One <c>config vpn certificate ca</c> entry: a certificate authority whose issued peer certificates are trusted.</summary>
/// <param name="Name">The <c>edit</c> name.</param>
/// <param name="CertificatePem">The CA certificate(s) as PEM text (from <c>ca</c>, or read from <c>ca-file</c> at load time).</param>
public sealed record CaCertificate(string Name, string CertificatePem)
{
    /// <summary>FortiOS limits certificate names to 35 characters.</summary>
    public const int MaxNameLength = 35;

    /// <summary>Full path of <c>ca-file</c> when the PEM came from a file; the writer prints the path instead of the PEM.</summary>
    public string? CertificateFile { get; init; }

    /// <summary>Other FortiOS settings we accept and keep verbatim (<c>range</c>, <c>source</c>, ...).</summary>
    public ImmutableArray<ConfigSetting> OtherSettings { get; init; } = [];

    /// <summary>Line of the <c>edit</c> (ignored by equality).</summary>
    [SourceLocation]
    public int SourceLine { get; init; }

    public bool Equals(CaCertificate? other) => ModelEquality.MembersEqual(this, other);

    public override int GetHashCode() => ModelEquality.MembersHash(this);

    private bool PrintMembers(StringBuilder builder) => ModelEquality.PrintMembers(this, builder);
}
