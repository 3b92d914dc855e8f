using System.Diagnostics;
using System.Text;
using SharpSwan.Crypto.Certificates;

namespace SharpSwan.Tests.Pki;

/// <summary>`sharpswan pki ca|issue` through the real command line, with the results loaded back as the gateway loads them.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class PkiCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sharpswan-pki-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("ecdsa-p256", "ecdsa-p384")]
    [InlineData("rsa-2048", "ecdsa-p256")]
    [InlineData("ecdsa-p384", "rsa-2048")]
    public void Ca_then_issue_writes_a_trusted_chain_whose_key_signs(string caKey, string leafKey)
    {
        var ca = Run("pki", "ca", "--out", _directory, "--name", "lab-ca", "--subject", "CN=Lab CA, O=Lab", "--key", caKey);
        var leaf = Run("pki", "issue", "--ca", Path.Combine(_directory, "lab-ca"), "--out", Path.Combine(_directory, "certs"), "--name", "client1",
            "--subject", "CN=client1, O=Lab", "--san", "dns:client1.example", "--san", "email:user@lab", "--san", "ip:192.0.2.7", "--key", leafKey);

        Assert.True(ca.ExitCode == 0, ca.Stderr);
        Assert.True(leaf.ExitCode == 0, leaf.Stderr);
        var leafCrt = Path.Combine(_directory, "certs", "client1.crt");
        var leafKeyPath = Path.Combine(_directory, "certs", "client1.key");
        Assert.Contains($"wrote {Path.Combine(_directory, "lab-ca.crt")}", ca.Stdout, StringComparison.Ordinal);
        Assert.Contains($"wrote {Path.Combine(_directory, "lab-ca.key")}", ca.Stdout, StringComparison.Ordinal);
        Assert.Contains($"wrote {leafCrt}", leaf.Stdout, StringComparison.Ordinal);
        Assert.Contains($"wrote {leafKeyPath}", leaf.Stdout, StringComparison.Ordinal);
        Assert.False(OperatingSystem.IsWindows(), "SharpSwan runs on Linux");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(leafKeyPath));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, "lab-ca.key")));
        }

        Assert.True(LocalCredential.TryFromPem(File.ReadAllText(leafCrt), File.ReadAllText(leafKeyPath), null, out var credential, out var error), error);
        Assert.True(TrustStore.TryFromPem([File.ReadAllText(Path.Combine(_directory, "lab-ca.crt"))], out var store, out error), error);
        using (credential)
        using (store)
        {
            var verdict = store!.Validate(credential!.Certificate, [], DateTimeOffset.UtcNow);
            Assert.True(verdict.Trusted, verdict.Reason);
            var octets = Encoding.ASCII.GetBytes("signed octets");
            var authData = credential.SignAuthData(octets, DigitalSignatureAuth.ParseHashesNotify(DigitalSignatureAuth.SupportedHashesNotifyData));
            Assert.True(DigitalSignatureAuth.Verify(credential.Certificate, authData, octets, out error), error);
            Assert.True(CertificateIdentity.Contains(credential.Certificate, CertificateIdentityKind.Fqdn, Encoding.ASCII.GetBytes("client1.example")));
            Assert.True(CertificateIdentity.Contains(credential.Certificate, CertificateIdentityKind.Ipv4Address, [192, 0, 2, 7]));
            Assert.True(CertificateIdentity.MatchesConfigured("CN=client1,O=Lab", CertificateIdentityKind.DistinguishedName, CertificateIdentity.SubjectDer(credential.Certificate)));
        }
    }

    [Fact]
    public void Openssl_verify_accepts_the_chain_and_loads_the_key()
    {
        Assert.True(File.Exists("/usr/bin/openssl"), "this check needs /usr/bin/openssl");
        Assert.Equal(0, Run("pki", "ca", "--out", _directory, "--name", "ca").ExitCode);
        Assert.Equal(0, Run("pki", "issue", "--ca", Path.Combine(_directory, "ca"), "--out", _directory, "--name", "hub", "--san", "dns:hub.example", "--key", "rsa-2048").ExitCode);

        var verify = Openssl("verify", "-CAfile", Path.Combine(_directory, "ca.crt"), Path.Combine(_directory, "hub.crt"));
        var key = Openssl("pkey", "-in", Path.Combine(_directory, "hub.key"), "-noout");
        var other = Openssl("verify", "-CAfile", Path.Combine(_directory, "hub.crt"), Path.Combine(_directory, "ca.crt"));

        Assert.True(verify.ExitCode == 0, verify.Output);
        Assert.Contains("hub.crt: OK", verify.Output, StringComparison.Ordinal);
        Assert.True(key.ExitCode == 0, key.Output);
        Assert.NotEqual(0, other.ExitCode);
    }

    [Fact]
    public void Explicit_validity_in_the_past_gives_a_certificate_the_trust_store_calls_expired()
    {
        Assert.Equal(0, Run("pki", "ca", "--out", _directory, "--name", "ca").ExitCode);
        // The CA starts now; an older leaf must not predate it, so move it after the CA's start but end it soon.
        var start = DateTimeOffset.UtcNow.AddMinutes(1);
        var end = start.AddMinutes(1);
        var result = Run("pki", "issue", "--ca", Path.Combine(_directory, "ca"), "--out", _directory, "--name", "short",
            "--not-before", start.ToString("O"), "--not-after", end.ToString("O"));
        Assert.True(result.ExitCode == 0, result.Stderr);

        Assert.True(LocalCredential.TryFromPem(File.ReadAllText(Path.Combine(_directory, "short.crt")), File.ReadAllText(Path.Combine(_directory, "short.key")), null, out var credential, out var error), error);
        Assert.True(TrustStore.TryFromPem([File.ReadAllText(Path.Combine(_directory, "ca.crt"))], out var store, out error), error);
        using (credential)
        using (store)
        {
            var verdict = store!.Validate(credential!.Certificate, [], end.AddDays(1));
            Assert.False(verdict.Trusted);
            Assert.StartsWith("certificate CN=short expired on ", verdict.Reason, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--key", "dsa-1024", "pki ca: --key \"dsa-1024\": unknown key type")]
    [InlineData("--days", "0", "pki ca: --days 0: must be between 1 and 36500")]
    [InlineData("--subject", "nonsense", "pki ca: --subject: the subject \"nonsense\" is not a distinguished name")]
    [InlineData("--name", "../escape", "pki ca: --name \"../escape\": use letters, digits")]
    public void Ca_refuses_bad_options_naming_option_and_value(string option, string value, string message)
    {
        var args = new List<string> { "pki", "ca", "--out", _directory, "--name", "ca" };
        var at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        var result = Run([.. args]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "ca.key")));
    }

    [Fact]
    public void Issue_refuses_bad_options_naming_option_and_value()
    {
        Assert.Equal(0, Run("pki", "ca", "--out", _directory, "--name", "ca").ExitCode);
        var ca = Path.Combine(_directory, "ca");

        var badSan = Run("pki", "issue", "--ca", ca, "--out", _directory, "--name", "a", "--san", "url:http://x");
        var badIp = Run("pki", "issue", "--ca", ca, "--out", _directory, "--name", "a", "--san", "ip:1.2.3");
        var missingCa = Run("pki", "issue", "--ca", Path.Combine(_directory, "nope"), "--out", _directory, "--name", "a");
        var leafAsCa = Run("pki", "issue", "--ca", ca, "--out", _directory, "--name", "leaf");
        var notACa = Run("pki", "issue", "--ca", Path.Combine(_directory, "leaf"), "--out", _directory, "--name", "b");
        var both = Run("pki", "issue", "--ca", ca, "--out", _directory, "--name", "c", "--days", "3", "--not-after", "2030-01-01");
        var badTime = Run("pki", "issue", "--ca", ca, "--out", _directory, "--name", "d", "--not-before", "yesterday");
        var beyondCa = Run("pki", "issue", "--ca", ca, "--out", _directory, "--name", "e", "--not-after", "2199-01-01");
        var again = Run("pki", "issue", "--ca", ca, "--out", _directory, "--name", "leaf");
        var forced = Run("pki", "issue", "--ca", ca, "--out", _directory, "--name", "leaf", "--force");

        Assert.Contains("pki issue: --san: subject alternative name \"url:http://x\": use dns:NAME, email:USER@DOMAIN or ip:ADDRESS", badSan.Stderr, StringComparison.Ordinal);
        Assert.Contains("\"1.2.3\" is not a valid ip value", badIp.Stderr, StringComparison.Ordinal);
        Assert.Contains($"--ca {Path.Combine(_directory, "nope")}: cannot read the CA", missingCa.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, leafAsCa.ExitCode);
        Assert.Contains("is not a CA certificate", notACa.Stderr, StringComparison.Ordinal);
        Assert.Contains("--days 3 and --not-after 2030-01-01: give only one of them", both.Stderr, StringComparison.Ordinal);
        Assert.Contains("--not-before \"yesterday\": not an ISO 8601 time", badTime.Stderr, StringComparison.Ordinal);
        Assert.Contains("must lie within that of the issuer CN=ca", beyondCa.Stderr, StringComparison.Ordinal);
        Assert.Contains("already exists", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, forced.ExitCode);
        Assert.All(new[] { badSan, badIp, missingCa, notACa, both, badTime, beyondCa, again }, r => Assert.Equal(1, r.ExitCode));
        Assert.False(File.Exists(Path.Combine(_directory, "a.crt")));
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(params string[] args) => ConsoleCapture.Run(args);

    private static (int ExitCode, string Output) Openssl(params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }
}
