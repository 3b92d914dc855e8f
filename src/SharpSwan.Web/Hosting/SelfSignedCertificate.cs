using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SharpSwan.Web.Hosting;

/// <summary>
/// The GUI's HTTPS certificate: made on first start (ECDSA P-256, self-signed, for localhost, 127.0.0.1 and the listen
/// address) and kept in a PKCS#12 file readable only by its owner, so browsers see the same certificate after a restart.
/// </summary>
public static class SelfSignedCertificate
{
    public static readonly TimeSpan Validity = TimeSpan.FromDays(5 * 365);

    public static X509Certificate2 LoadOrCreate(string path, IPAddress listenAddress, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        if (File.Exists(path))
        {
            try
            {
                var existing = X509CertificateLoader.LoadPkcs12FromFile(path, null);
                if (existing.HasPrivateKey && existing.NotAfter.ToUniversalTime() > now.UtcDateTime.AddDays(1))
                {
                    RestrictToOwner(path);
                    return existing;
                }

                existing.Dispose();
            }
            catch (CryptographicException)
            {
                // Unreadable or damaged: replace it below.
            }
        }

        using var created = Create(listenAddress, now);
        var pkcs12 = created.Export(X509ContentType.Pkcs12);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        // A stale temporary of a killed start may be wider than 0600; a new file gets the create mode below.
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // The private key is in this file: readable by its owner only.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(pkcs12);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        return X509CertificateLoader.LoadPkcs12(pkcs12, null);
    }

    /// <summary>The kept file holds the private key: if someone widened it, it is narrowed back to 0600.</summary>
    private static void RestrictToOwner(string path)
    {
        const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(path) != OwnerReadWrite)
        {
            File.SetUnixFileMode(path, OwnerReadWrite);
        }
    }

    private static X509Certificate2 Create(IPAddress listenAddress, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=SharpSwan administration", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        if (!listenAddress.Equals(IPAddress.Any) && !listenAddress.Equals(IPAddress.Loopback))
        {
            names.AddIpAddress(listenAddress);
        }

        names.AddDnsName(Dns.GetHostName());
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(now.AddDays(-1), now.Add(Validity));
    }
}
