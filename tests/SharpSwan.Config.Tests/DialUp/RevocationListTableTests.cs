using SharpSwan.Crypto.Certificates;
using SharpSwan.Testing;

namespace SharpSwan.Config.Tests.DialUp;

/// <summary><c>config vpn certificate crl</c>: inline PEM or crl-file, checked at load, written back, fetching refused.</summary>
public sealed class RevocationListTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<(IssuedCertificate Ca, string Crl)> Pki = new(() =>
    {
        var ca = CertificateTables.Authority("CN=CRL Test CA, O=Lab", Now);
        var leaf = CertificateTables.Leaf(ca, "CN=gone, O=Lab", "dns:gone.lab", CertificateKeyAlgorithm.EcdsaP256, Now);
        return (ca, CertificateTables.RevocationList(ca, Now, leaf));
    });

    [Fact]
    public void InlineCrl_IsLoadedAndRoundTrips()
    {
        var text = Table($"set crl \"{Pki.Value.Crl.Trim()}\"\n        set range global");
        var configuration = ConfigText.ParseValid(text);

        var crl = Assert.Single(configuration.RevocationLists);
        Assert.Equal("lab-crl", crl.Name);
        Assert.True(RevocationList.TryFromPem(crl.CrlPem, out var lists, out var error), error);
        Assert.Single(lists);

        var written = ConfigurationWriter.Write(configuration, fullConfiguration: false);
        Assert.Contains("config vpn certificate crl", written, StringComparison.Ordinal);
        Assert.Equal(configuration, ConfigText.ParseValid(written));
    }

    [Fact]
    public void CrlFile_IsReadAndItsPathWrittenBack()
    {
        var directory = Directory.CreateTempSubdirectory("sharpswan-crl-");
        try
        {
            var path = Path.Combine(directory.FullName, "lab.crl.pem");
            File.WriteAllText(path, Pki.Value.Crl);
            var configuration = ConfigText.ParseValid(Table($"set crl-file \"{path}\""));
            Assert.Equal(path, Assert.Single(configuration.RevocationLists).CrlFile);
            Assert.Contains($"set crl-file \"{path}\"", ConfigurationWriter.Write(configuration, fullConfiguration: false), StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void ACertificateInsteadOfACrl_IsRefusedAtItsLine()
    {
        var error = ConfigText.SingleError(Table($"set crl \"{Pki.Value.Ca.CertificatePem.Trim()}\""));
        Assert.Equal(3, error.Line);
        Assert.StartsWith("value parse error", error.Message, StringComparison.Ordinal);
        Assert.Contains("CERTIFICATE", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FetchingSettings_AreRefused_AndAnEmptyEntryMustSetTheCrl()
    {
        var fetch = ConfigText.SingleError(Table($"set crl \"{Pki.Value.Crl.Trim()}\"\n        set http-url \"http://ca.lab/crl\""));
        Assert.Equal("command parse error before 'http-url'", fetch.Message);
        Assert.Contains("not fetched", fetch.Reason, StringComparison.Ordinal);

        var empty = ConfigText.SingleError(Table("set range global"));
        Assert.Equal("Attribute 'crl' MUST be set.", empty.Message);
    }

    private static string Table(string settings) => $"""
        config vpn certificate crl
            edit "lab-crl"
                {settings}
            next
        end
        """;
}
