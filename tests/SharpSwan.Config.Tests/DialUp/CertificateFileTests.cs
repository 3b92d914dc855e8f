namespace SharpSwan.Config.Tests.DialUp;

/// <summary>The SharpSwan extension: certificate-file, private-key-file and ca-file, read at load time.</summary>
public sealed class CertificateFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sharpswan-pki-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteFile(string relativePath, string content)
    {
        var path = Path.Combine(_directory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    private const string FileConfiguration = """
        config vpn certificate ca
            edit "lab-ca"
                set ca-file "pki/ca.crt"
            next
        end
        config vpn certificate local
            edit "hub"
                set certificate-file "pki/hub.crt"
                set private-key-file "pki/hub.key"
                set comments "from files"
            next
        end
        """;

    [Fact]
    public void LoadFile_ReadsRelativePathsFromTheConfigurationDirectory_AndKeepsThePem()
    {
        WriteFile("pki/ca.crt", TestPki.OtherEc.CertificatePem + "\r\n");
        WriteFile("pki/hub.crt", TestPki.Ec.CertificatePem);
        WriteFile("pki/hub.key", TestPki.Ec.PrivateKeyPem);
        var configPath = WriteFile("hq.conf", FileConfiguration);

        var result = ConfigurationLoader.LoadFile(configPath);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var local = Assert.Single(result.Configuration!.LocalCertificates);
        Assert.Equal(TestPki.Ec.CertificatePem.Trim(), local.CertificatePem);
        Assert.Equal(TestPki.Ec.PrivateKeyPem.Trim(), local.GetPrivateKeyPem());
        Assert.Equal(Path.Combine(_directory, "pki", "hub.crt"), local.CertificateFile);
        Assert.Equal(Path.Combine(_directory, "pki", "hub.key"), local.PrivateKeyFile);
        var ca = Assert.Single(result.Configuration.CaCertificates);
        Assert.Equal(TestPki.OtherEc.CertificatePem.Trim(), ca.CertificatePem);
    }

    [Fact]
    public void WrittenConfiguration_KeepsPointingAtTheFiles_AndReloadsEqual()
    {
        WriteFile("pki/ca.crt", TestPki.OtherEc.CertificatePem);
        WriteFile("pki/hub.crt", TestPki.Ec.CertificatePem);
        WriteFile("pki/hub.key", TestPki.Ec.PrivateKeyPem);
        var original = ConfigurationLoader.LoadFile(WriteFile("hq.conf", FileConfiguration)).Configuration!;

        var written = ConfigurationWriter.Write(original, fullConfiguration: true);
        Assert.Contains($"        set private-key-file \"{Path.Combine(_directory, "pki", "hub.key")}\"\n", written, StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN", written, StringComparison.Ordinal);

        // Saved elsewhere, the absolute paths still lead to the same files.
        var saved = WriteFile("elsewhere/saved.conf", written);
        var reloaded = ConfigurationLoader.LoadFile(saved);
        Assert.True(reloaded.IsValid, string.Join("\n", reloaded.Errors));
        Assert.Equal(original, reloaded.Configuration);
    }

    [Fact]
    public void Parse_ReadsRelativePathsFromTheCurrentDirectory()
    {
        var key = WriteFile("cwd/hub.key", TestPki.Ec.PrivateKeyPem);
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, key);
        Assert.False(Path.IsPathRooted(relative));
        var text = $"""
            config vpn certificate local
                edit "hub"
                    set certificate "{TestPki.Ec.CertificatePem}"
                    set private-key-file "{relative}"
                next
            end
            """;
        var config = ConfigText.ParseValid(text);
        Assert.Equal(key, config.LocalCertificates[0].PrivateKeyFile);
    }

    [Fact]
    public void UnreadableFile_IsAnErrorAtItsLine_NamingThePathAndTheReason()
    {
        WriteFile("pki/hub.crt", TestPki.Ec.CertificatePem);
        var configPath = WriteFile("hq.conf", FileConfiguration.Replace("pki/ca.crt", "pki/missing-ca.crt", StringComparison.Ordinal));

        var result = ConfigurationLoader.LoadFile(configPath);
        Assert.Null(result.Configuration);
        Assert.Collection(
            result.Errors,
            e =>
            {
                Assert.Equal(3, e.Line);
                Assert.Equal("value parse error before 'pki/missing-ca.crt'", e.Message);
                Assert.Equal($"cannot read ca-file {Path.Combine(_directory, "pki", "missing-ca.crt")}: Could not find file '{Path.Combine(_directory, "pki", "missing-ca.crt")}'", e.Reason);
            },
            e =>
            {
                Assert.Equal(9, e.Line);
                Assert.StartsWith($"cannot read private-key-file {Path.Combine(_directory, "pki", "hub.key")}: ", e.Reason, StringComparison.Ordinal);
            });
    }

    [Fact]
    public void DirectoryInsteadOfAFile_IsReportedWithTheSystemReason()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "pki", "hub.crt"));
        WriteFile("pki/ca.crt", TestPki.OtherEc.CertificatePem);
        WriteFile("pki/hub.key", TestPki.Ec.PrivateKeyPem);
        var result = ConfigurationLoader.LoadFile(WriteFile("hq.conf", FileConfiguration));
        var error = Assert.Single(result.Errors);
        Assert.Equal(8, error.Line);
        Assert.StartsWith($"cannot read certificate-file {Path.Combine(_directory, "pki", "hub.crt")}: ", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FileThatIsNotACertificate_IsErrorAtTheSettingNamingTheFile()
    {
        WriteFile("pki/ca.crt", TestPki.OtherEc.CertificatePem);
        WriteFile("pki/hub.crt", "not a certificate\n");
        WriteFile("pki/hub.key", TestPki.Ec.PrivateKeyPem);
        var result = ConfigurationLoader.LoadFile(WriteFile("hq.conf", FileConfiguration));
        var error = Assert.Single(result.Errors);
        Assert.Equal(8, error.Line);
        Assert.Equal("value parse error before 'pki/hub.crt'", error.Message);
        Assert.StartsWith($"certificate-file {Path.Combine(_directory, "pki", "hub.crt")} is not a PEM certificate", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyFileOfAnotherCertificate_IsReportedAtTheKeyFileLine()
    {
        WriteFile("pki/ca.crt", TestPki.OtherEc.CertificatePem);
        WriteFile("pki/hub.crt", TestPki.Ec.CertificatePem);
        WriteFile("pki/hub.key", TestPki.OtherEc.PrivateKeyPem);
        var error = Assert.Single(ConfigurationLoader.LoadFile(WriteFile("hq.conf", FileConfiguration)).Errors);
        Assert.Equal(9, error.Line);
        Assert.Equal("value parse error before 'pki/hub.key'", error.Message);
        Assert.Contains("private-key does not match the certificate", error.Reason, StringComparison.Ordinal);
    }
}
