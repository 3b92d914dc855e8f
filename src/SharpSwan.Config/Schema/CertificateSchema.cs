using System.Text;

namespace SharpSwan.Config;

/// <summary>
/// Fields of <c>config vpn certificate local</c> and <c>config vpn certificate ca</c>. PEM is given inline (a
/// multi-line quoted value, as FortiOS prints it) or, as a SharpSwan extension, read from a file named by
/// <c>certificate-file</c>/<c>private-key-file</c>/<c>ca-file</c>. The private key and its password are secrets:
/// written back encrypted (<c>ENC sharpswan-aes256gcm$...</c>) like <c>psksecret</c>, and never echoed in an error.
/// </summary>
internal static class CertificateSchema
{
    public const string LocalPath = "vpn certificate local";
    public const string CaPath = "vpn certificate ca";

    /// <summary>Longest <c>*-file</c> we read: PEM files are a few kilobytes; anything this large is the wrong file.</summary>
    private const int MaximumFileBytes = 1 << 20;

    private const string EncodedPrefix = "ENC";

    private static readonly string[] EnrollmentFields =
    [
        "csr", "scep-url", "scep-password", "enroll-protocol", "cmp-server", "cmp-path", "cmp-server-cert",
        "cmp-regeneration-method", "acme-domain", "acme-email", "acme-ca-url", "acme-rsa-key-size", "acme-renew-window",
        "est-server", "est-ca-id", "est-http-username", "est-http-password", "est-client-cert", "est-server-cert",
        "est-srp-username", "est-srp-password", "private-key-retain",
    ];

    public static FieldTable<LocalCertificateDraft> Local { get; } = new FieldTable<LocalCertificateDraft> { TablePath = LocalPath }
        .Interpret("certificate", (d, r) => { if (CertificatePem(r) is { } v) { d.CertificatePem = v; } })
        .Interpret("certificate-file", (d, r) =>
        {
            if (ReadFile(r, d.BaseDirectory) is { } file && CertificatePem(r, file) is { } pem)
            {
                (d.CertificatePem, d.CertificateFile) = (pem, file.Path);
            }
        })
        .Interpret("private-key", (d, r) => { if (EncodedOrPlain(r, 1, int.MaxValue) is { } v) { d.PrivateKey = v; } })
        .Interpret("private-key-file", (d, r) =>
        {
            if (ReadFile(r, d.BaseDirectory) is { } file)
            {
                (d.PrivateKey, d.PrivateKeyFile) = (Secret.FromPlaintext(PemText.Normalize(file.Text)), file.Path);
            }
        })
        .Interpret("password", (d, r) => { if (EncodedOrPlain(r, 1, 128) is { } v) { d.Password = v; } })
        .Keep("comments", Checks.Text(511))
        .Keep("range", Checks.OneOf("global", "vdom"))
        .Keep("source", Checks.OneOf("factory", "user", "bundle"))
        .Keep(["last-updated", "auto-regenerate-days", "auto-regenerate-days-warning"], Checks.Range(0, uint.MaxValue))
        .Keep("ike-localid", Checks.EmptyOnly(63, "a certificate does not carry its own IKE identity: set localid and localid-type on the phase 1"))
        .Keep("ike-localid-type", Checks.OnlySupported(["asn1dn"], ["asn1dn", "fqdn"], "a certificate does not carry its own IKE identity: set localid and localid-type on the phase 1"))
        .Refuse(EnrollmentFields, "a FortiOS setting SharpSwan does not support (certificate enrollment: import the PEM with certificate and private-key)");

    public static FieldTable<CaCertificateDraft> Ca { get; } = new FieldTable<CaCertificateDraft> { TablePath = CaPath }
        .Interpret("ca", (d, r) => { if (CertificatePem(r) is { } v) { d.CertificatePem = v; } })
        .Interpret("ca-file", (d, r) =>
        {
            if (ReadFile(r, d.BaseDirectory) is { } file && CertificatePem(r, file) is { } pem)
            {
                (d.CertificatePem, d.CertificateFile) = (pem, file.Path);
            }
        })
        .Keep("range", Checks.OneOf("global", "vdom"))
        .Keep("source", Checks.OneOf("factory", "user", "bundle"))
        .Keep(["ssl-inspection-trusted", "obsolete"], Checks.EnableDisable)
        .Keep(["last-updated", "auto-update-days", "auto-update-days-warning"], Checks.Range(0, uint.MaxValue))
        .Keep("ca-identifier", Checks.Text(255))
        .Refuse(["scep-url", "est-url", "source-ip"], "a FortiOS setting SharpSwan does not support (CA updates by SCEP/EST: import the PEM with ca)");

    /// <summary>The value as an error message may show it: the first line of a PEM, never any part of a secret.</summary>
    public static ConfigToken Shown(ConfigToken token, bool secret) =>
        token with { Text = secret ? "****" : PemText.Abbreviate(token.Text) };

    /// <summary>
    /// A certificate PEM value (or the text of the file it names): normalised and checked.
    /// The error stands at the value, shown abbreviated (a file is shown by its name).
    /// </summary>
    private static string? CertificatePem(SettingReader reader, (string Text, string Path)? file = null)
    {
        if (reader.Single() is not { } token)
        {
            return null;
        }

        var pem = PemText.Normalize(file?.Text ?? token.Text);
        var what = file is { } f ? $"{reader.Field} {f.Path}" : reader.Field;
        if (PemText.CertificateError(what, pem) is { } error)
        {
            reader.Diagnostics.ValueParseError(reader.Field, file is null ? Shown(token, secret: false) : token, error);
            return null;
        }

        return pem;
    }

    /// <summary><c>ENC ...</c> (what the writer prints, or the old base64 form) or the plain value; never echoed in an error.</summary>
    private static Secret? EncodedOrPlain(SettingReader reader, int minimumLength, int maximumLength)
    {
        var values = reader.Setting.Values;
        var redacted = Shown(values[0], secret: true);
        if (values is [{ Text: EncodedPrefix }, var encoded])
        {
            var lineBreaks = reader.Field == "private-key";
            if (!Secret.TryParseEncoded(encoded.Text, reader.Diagnostics.Keyring, lineBreaks, out var secret, out var legacy, out var error))
            {
                reader.Diagnostics.ValueParseError(reader.Field, redacted, $"{reader.Field} {error}");
                return null;
            }

            if (legacy)
            {
                reader.WarnLegacySecret();
            }

            return secret;
        }

        if (values.Length != 1)
        {
            reader.Diagnostics.ValueParseError(reader.Field, redacted, $"{reader.Field} takes one value: a quoted value or ENC <base64>");
            return null;
        }

        var text = reader.Field == "private-key" ? PemText.Normalize(values[0].Text) : values[0].Text;
        if (text.Length < minimumLength || text.Length > maximumLength)
        {
            var limit = maximumLength == int.MaxValue ? "must not be empty" : $"must be {minimumLength}-{maximumLength} characters";
            reader.Diagnostics.ValueParseError(reader.Field, redacted, $"{reader.Field} {limit}");
            return null;
        }

        return Secret.FromPlaintext(text);
    }

    /// <summary>
    /// Reads the file a <c>*-file</c> setting names, relative to <paramref name="baseDirectory"/> (or the current
    /// directory). An unreadable file is an error at the value, with the full path and the system's reason.
    /// </summary>
    internal static (string Text, string Path)? ReadFile(SettingReader reader, string? baseDirectory)
    {
        if (reader.Text(4095) is not { } name)
        {
            return null;
        }

        var token = reader.Setting.Values[0];
        if (name.Length == 0)
        {
            reader.ValueError(token, $"{reader.Field} needs a file name");
            return null;
        }

        string path;
        try
        {
            path = baseDirectory is null ? Path.GetFullPath(name) : Path.GetFullPath(name, baseDirectory);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            reader.ValueError(token, $"{reader.Field} '{name}' is not a valid path ({e.Message.TrimEnd('.')})");
            return null;
        }

        try
        {
            if (new FileInfo(path).Length > MaximumFileBytes)
            {
                reader.ValueError(token, $"cannot read {reader.Field} {path}: larger than {MaximumFileBytes / 1024} KiB, not a PEM file");
                return null;
            }

            return (File.ReadAllText(path, Encoding.UTF8), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            reader.ValueError(token, $"cannot read {reader.Field} {path}: {e.Message.TrimEnd('.')}");
            return null;
        }
    }
}
