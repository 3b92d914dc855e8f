using Microsoft.Extensions.Logging;
using System.Net;
using SharpSwan.Config;
using SharpSwan.Web.Security;

namespace SharpSwan.Web.Hosting;

/// <summary>Where and how the web GUI and REST API listen.</summary>
public sealed record AdminWebOptions
{
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>HTTPS port (<c>admin-sport</c>); 0 picks a free port (tests).</summary>
    public int? HttpsPort { get; init; }

    /// <summary>Plain HTTP port (<c>admin-port</c>): only when explicitly configured.</summary>
    public int? HttpPort { get; init; }

    /// <summary>With both ports, plain HTTP only redirects to HTTPS (<c>admin-https-redirect</c>, default enable).</summary>
    public bool RedirectHttpToHttps { get; init; } = true;

    /// <summary>The self-signed certificate (PKCS#12), generated on first start and kept.</summary>
    public string? CertificatePath { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where unexpected server errors are reported (the gateway's standard error).</summary>
    public TextWriter? ErrorLog { get; init; }

    /// <summary>The service log: Kestrel's warnings and errors, admin logins and logouts; null logs nothing.</summary>
    public ILoggerFactory? Loggers { get; init; }

    /// <summary>The options <c>config system global</c> asks for, or null when neither admin-port nor admin-sport is set.</summary>
    public static AdminWebOptions? FromConfiguration(GatewayConfiguration configuration, string certificatePath)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var global = configuration.Global;
        if (global.AdminPort is null && global.AdminSport is null)
        {
            return null;
        }

        var redirect = global.OtherSettings.FirstOrDefault(s => s.Name == "admin-https-redirect") is not { Values: ["disable"] };
        return new AdminWebOptions
        {
            Address = AdminSettings.ListenAddress(configuration),
            HttpsPort = global.AdminSport,
            HttpPort = global.AdminPort,
            RedirectHttpToHttps = redirect,
            CertificatePath = certificatePath,
        };
    }
}
