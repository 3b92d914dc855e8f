using System.Net;
using System.Runtime.Versioning;
using SharpSwan.Web.Hosting;

namespace SharpSwan.Web.Tests;

/// <summary>The GUI's certificate file holds its private key: 0600 when made, and narrowed back if it was widened.</summary>
[SupportedOSPlatform("linux")]
public sealed class SelfSignedCertificateModeTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _directory = Directory.CreateTempSubdirectory("sharpswan-cert-").FullName;

    [Fact]
    public void A_kept_certificate_that_was_made_world_readable_is_0600_again_after_the_next_start()
    {
        var path = Path.Combine(_directory, "admin.pfx");
        using (var created = SelfSignedCertificate.LoadOrCreate(path, IPAddress.Loopback, TimeProvider.System))
        {
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path));
        }

        File.SetUnixFileMode(path, OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        using var kept = SelfSignedCertificate.LoadOrCreate(path, IPAddress.Loopback, TimeProvider.System);

        Assert.True(kept.HasPrivateKey);
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
