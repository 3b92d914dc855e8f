using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using SharpSwan.Crypto.Certificates;

namespace SharpSwan.Pki;

/// <summary>Validates `pki` options, makes the certificates with <see cref="CertificateFactory"/> and writes them.</summary>
internal static class PkiRunner
{
    public const int DefaultCaDays = 3650;
    public const int DefaultLeafDays = 365;
    private const int MaxDays = 36500;

    // Certificates start slightly in the past so a peer whose clock lags a little still accepts them.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public static int RunCa(PkiCaRequest request, DateTimeOffset now, TextWriter output, TextWriter error)
    {
        try
        {
            ValidateName(request.Name);
            var algorithm = ParseKey(request.Key);
            var days = ValidateDays(request.Days) ?? DefaultCaDays;
            var subject = request.Subject ?? $"CN={request.Name}";
            var (certificatePath, keyPath) = PkiFiles.Plan(request.OutputDirectory, request.Name, request.Force);
            var notBefore = Truncate(now) - ClockSkew;
            var issued = Make(() => CertificateFactory.CreateAuthority(subject, algorithm, notBefore, notBefore.AddDays(days)));
            PkiFiles.Write(certificatePath, issued.CertificatePem, keyPath, issued.PrivateKeyPem);
            Report(output, "CA certificate", certificatePath, keyPath, issued);
            return 0;
        }
        catch (PkiException ex)
        {
            error.WriteLine($"pki ca: {ex.Message}");
            return 1;
        }
    }

    public static int RunIssue(PkiIssueRequest request, DateTimeOffset now, TextWriter output, TextWriter error)
    {
        try
        {
            ValidateName(request.Name);
            var algorithm = ParseKey(request.Key);
            var days = ValidateDays(request.Days);
            var authority = LoadAuthority(request.Authority);
            var subject = request.Subject ?? $"CN={request.Name}";

            using var authorityCertificate = X509Certificate2.CreateFromPem(authority.CertificatePem);
            var authorityStart = new DateTimeOffset(authorityCertificate.NotBefore.ToUniversalTime());
            var authorityEnd = new DateTimeOffset(authorityCertificate.NotAfter.ToUniversalTime());
            var notBefore = ParseTime("--not-before", request.NotBefore) ?? Max(Truncate(now) - ClockSkew, authorityStart);
            DateTimeOffset notAfter;
            if (request.NotAfter is not null)
            {
                if (days is not null)
                {
                    throw new PkiException($"--days {days} and --not-after {request.NotAfter}: give only one of them");
                }

                notAfter = ParseTime("--not-after", request.NotAfter)!.Value;
            }
            else
            {
                // Without an explicit end, stop where the CA stops rather than fail.
                notAfter = Min(notBefore.AddDays(days ?? DefaultLeafDays), authorityEnd);
            }

            if (notAfter <= notBefore)
            {
                throw new PkiException($"--not-after {Format(notAfter)} is not later than --not-before {Format(notBefore)}");
            }

            var (certificatePath, keyPath) = PkiFiles.Plan(request.OutputDirectory, request.Name, request.Force);
            var issued = Make(() => CertificateFactory.Issue(authority, subject, request.SubjectAltNames, algorithm, notBefore, notAfter));
            PkiFiles.Write(certificatePath, issued.CertificatePem, keyPath, issued.PrivateKeyPem);
            Report(output, "certificate", certificatePath, keyPath, issued);
            return 0;
        }
        catch (PkiException ex)
        {
            error.WriteLine($"pki issue: {ex.Message}");
            return 1;
        }
    }

    private static IssuedCertificate LoadAuthority(string authority)
    {
        var stem = authority.EndsWith(".crt", StringComparison.Ordinal) || authority.EndsWith(".key", StringComparison.Ordinal) ? authority[..^4] : authority;
        var certificatePath = stem + ".crt";
        var keyPath = stem + ".key";
        string certificatePem;
        string keyPem;
        try
        {
            certificatePem = File.ReadAllText(certificatePath);
            keyPem = File.ReadAllText(keyPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new PkiException($"--ca {authority}: cannot read the CA ({ex.Message}); expected {certificatePath} and {keyPath}");
        }

        if (!LocalCredential.TryFromPem(certificatePem, keyPem, null, out var credential, out var reason))
        {
            throw new PkiException($"--ca {authority}: {reason}");
        }

        using (credential)
        {
            var constraints = credential!.Certificate.Extensions["2.5.29.19"] as X509BasicConstraintsExtension;
            if (constraints is not { CertificateAuthority: true })
            {
                throw new PkiException($"--ca {authority}: {certificatePath} is not a CA certificate (no BasicConstraints CA=true)");
            }
        }

        return new IssuedCertificate(certificatePem, keyPem);
    }

    private static IssuedCertificate Make(Func<IssuedCertificate> make)
    {
        try
        {
            return make();
        }
        catch (ArgumentException ex)
        {
            var option = ex.ParamName switch
            {
                "subject" => "--subject",
                "subjectAltNames" => "--san",
                "notBefore" or "notAfter" => "--not-before/--not-after/--days",
                "authority" => "--ca",
                _ => "pki",
            };
            var message = ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal);
            throw new PkiException($"{option}: {message}");
        }
    }

    private static void ValidateName(string name)
    {
        if (name.Length == 0 || name.StartsWith('.') || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new PkiException($"--name \"{name}\": use letters, digits, '.', '_' and '-' only (it becomes NAME.crt and NAME.key)");
        }
    }

    private static CertificateKeyAlgorithm ParseKey(string key) =>
        CertificateFactory.TryParseKeyAlgorithm(key, out var algorithm)
            ? algorithm
            : throw new PkiException($"--key \"{key}\": unknown key type (use ecdsa-p256, ecdsa-p384, rsa-2048 or rsa-3072)");

    private static int? ValidateDays(int? days) => days is null or (> 0 and <= MaxDays)
        ? days
        : throw new PkiException($"--days {days}: must be between 1 and {MaxDays}");

    private static DateTimeOffset? ParseTime(string option, string? text)
    {
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new PkiException($"{option} \"{text}\": not an ISO 8601 time such as 2026-01-31 or 2026-01-31T12:00:00Z");
    }

    private static void Report(TextWriter output, string what, string certificatePath, string keyPath, IssuedCertificate issued)
    {
        using var certificate = X509Certificate2.CreateFromPem(issued.CertificatePem);
        using var credential = LocalCredential.TryFromPem(issued.CertificatePem, issued.PrivateKeyPem, null, out var loaded, out _) ? loaded : null;
        var subject = CertificateIdentity.Describe(CertificateIdentityKind.DistinguishedName, CertificateIdentity.SubjectDer(certificate));
        output.WriteLine($"wrote {certificatePath}  ({what} {subject}, {credential?.KeyDescription}, valid {Format(certificate.NotBefore)} to {Format(certificate.NotAfter)})");
        output.WriteLine($"wrote {keyPath}  (private key, mode 0600)");
    }

    private static DateTimeOffset Truncate(DateTimeOffset time) => new(time.Year, time.Month, time.Day, time.Hour, time.Minute, time.Second, TimeSpan.Zero);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Format(DateTime time) => Format(new DateTimeOffset(time.ToUniversalTime()));
}
