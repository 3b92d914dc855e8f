using System.Net;
using System.Security.Cryptography.X509Certificates;
using SharpSwan.Web.Hosting;
using SharpSwan.Web.Tests.Support;

namespace SharpSwan.Web.Tests;

public sealed class HostingTests
{
    [Fact]
    public void Options_FollowSystemGlobal()
    {
        var none = WebTestHost.Parse("config system global\n    set hostname \"x\"\nend\n");
        Assert.Null(AdminWebOptions.FromConfiguration(none, "/tmp/cert.pfx"));

        var https = AdminWebOptions.FromConfiguration(WebTestHost.Parse("config system global\n    set admin-sport 8443\nend\n"), "/tmp/cert.pfx")!;
        Assert.Equal(8443, https.HttpsPort);
        Assert.Null(https.HttpPort);
        Assert.Equal(IPAddress.Loopback, https.Address);

        var both = AdminWebOptions.FromConfiguration(
            WebTestHost.Parse("config system global\n    set admin-port 8080\n    set admin-sport 8443\n    set admin-address 0.0.0.0\n    set admin-https-redirect disable\nend\n"),
            "/tmp/cert.pfx")!;
        Assert.Equal(8080, both.HttpPort);
        Assert.Equal(IPAddress.Any, both.Address);
        Assert.False(both.RedirectHttpToHttps);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Https_UsesASelfSignedCertificateMadeOnFirstStartAndKept()
    {
        var directory = Directory.CreateTempSubdirectory("sharpswan-web-");
        try
        {
            var path = Path.Combine(directory.FullName, "admin.pfx");
            var options = new AdminWebOptions { HttpsPort = 0, CertificatePath = path };
            string firstThumbprint;
            await using (var first = await StartAsync(options))
            {
                Assert.Equal(Uri.UriSchemeHttps, first.BaseAddress.Scheme);
                firstThumbprint = first.Certificate!.Thumbprint;
                Assert.True(File.Exists(path));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
                Assert.Contains("127.0.0.1", first.Certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateIPAddresses().Select(a => a.ToString()));
                Assert.Equal(HttpStatusCode.OK, await GetLoginPage(first, firstThumbprint));
            }

            await using var second = await StartAsync(options);
            Assert.Equal(firstThumbprint, second.Certificate!.Thumbprint);
            Assert.Equal(HttpStatusCode.OK, await GetLoginPage(second, firstThumbprint));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<AdminWebServer> StartAsync(AdminWebOptions options)
    {
        var applier = new FakeConfigurationApplier(WebTestHost.Parse("config system global\n    set hostname \"tls\"\nend\n"));
        return await AdminWebServer.StartAsync(
            options,
            new AdminWebServices(applier, new FakeTunnelMonitor(applier, TimeProvider.System), new RecordingPersistence(), new Monitoring.TunnelTimeline()));
    }

    /// <summary>Trusts exactly the server's certificate (pinned by thumbprint), as an admin who accepted it would.</summary>
    private static async Task<HttpStatusCode> GetLoginPage(AdminWebServer server, string thumbprint)
    {
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == thumbprint,
        };
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };
        using var response = await client.GetAsync("/login");
        Assert.Contains("max-age", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        return response.StatusCode;
    }
}
