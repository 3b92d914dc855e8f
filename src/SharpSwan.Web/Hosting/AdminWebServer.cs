using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SharpSwan.Web.Api;
using SharpSwan.Web.Cmdb;
using SharpSwan.Web.Gui;
using SharpSwan.Web.Monitoring;
using SharpSwan.Web.Security;

namespace SharpSwan.Web.Hosting;

/// <summary>
/// The web GUI and the FortiOS-compatible REST API, in one Kestrel server: HTTPS with the kept self-signed certificate,
/// plain HTTP only when asked for. Start it with <see cref="StartAsync"/>; dispose it to stop.
/// </summary>
public sealed class AdminWebServer : IAsyncDisposable
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    private readonly WebApplication _app;

    private AdminWebServer(WebApplication app, IReadOnlyList<Uri> addresses, X509Certificate2? certificate)
    {
        this._app = app;
        Addresses = addresses;
        Certificate = certificate;
    }

    /// <summary>Where the server listens (ports resolved when 0 was asked for).</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>The HTTPS address when there is one, else the HTTP one.</summary>
    public Uri BaseAddress => Addresses.FirstOrDefault(a => a.Scheme == Uri.UriSchemeHttps) ?? Addresses[0];

    public X509Certificate2? Certificate { get; }

    public static async Task<AdminWebServer> StartAsync(AdminWebOptions options, AdminWebServices services, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        if (options.HttpsPort is null && options.HttpPort is null)
        {
            throw new ArgumentException("set an HTTPS port (admin-sport) or an HTTP port (admin-port)", nameof(options));
        }

        var certificate = options.HttpsPort is null
            ? null
            : SelfSignedCertificate.LoadOrCreate(
                options.CertificatePath ?? throw new ArgumentException("HTTPS needs a certificate path", nameof(options)),
                options.Address,
                options.Time);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(AdminWebServer).Assembly.GetName().Name,
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        if (options.Loggers is { } loggers)
        {
            // Kestrel's own errors (TLS handshakes, bad requests, listener failures) reach the service log.
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
            builder.Logging.AddProvider(new ForwardingLoggerProvider(loggers));
        }
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 1 << 20;
            if (options.HttpsPort is { } httpsPort)
            {
                kestrel.Listen(options.Address, httpsPort, listen => listen.UseHttps(certificate!));
            }

            if (options.HttpPort is { } httpPort)
            {
                kestrel.Listen(options.Address, httpPort);
            }
        });

        var app = builder.Build();
        Compose(app, options, services);
        await app.StartAsync(cancellation);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a))
            .ToList();
        return new AdminWebServer(app, addresses, certificate);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        Certificate?.Dispose();
    }

    /// <summary>The HTTPS port as bound (the configured one, or the one the system picked when 0 was asked for).</summary>
    private static int HttpsPort(WebApplication app, AdminWebOptions options) =>
        options.HttpsPort is > 0 and var port ? port
            : app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
                .Select(a => new Uri(a)).FirstOrDefault(a => a.Scheme == Uri.UriSchemeHttps)?.Port ?? 0;

    private static IReadOnlyDictionary<long, PolicyHitCount> NoPolicyHits() => new Dictionary<long, PolicyHitCount>();

    /// <summary>A request that fails inside the server answers 500 and is logged: the service log when there is one.</summary>
    private static void UseErrorLog(WebApplication app, AdminWebOptions options)
    {
        var errors = options.Loggers?.CreateLogger("sharpswan.web");
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A request that failed inside the server is an error of the service log (journal priority err), not silence.
                if (errors is not null)
                {
                    errors.LogError(ex, "web request {Method} {Path} from {Client} failed", context.Request.Method, context.Request.Path.Value, AdminAuthenticator.Client(context));
                }
                else
                {
                    options.ErrorLog?.WriteLine($"sharpswan web: {context.Request.Method} {context.Request.Path}: {ex}");
                }

                if (!context.Response.HasStarted)
                {
                    context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                    await context.Response.WriteAsync("internal error", context.RequestAborted);
                }
            }
        });
    }

    private static void Compose(WebApplication app, AdminWebOptions options, AdminWebServices services)
    {
        var time = options.Time;
        var editor = new ConfigurationEditor(services.Applier, services.Persistence, services.EditTracker);
        var authentication = new AdminAuthenticator(
            () => services.Applier.Current,
            new SessionStore(time),
            new LoginThrottle(time),
            (admin, stronger, client, cancellation) => PasswordUpgrade.SaveAsync(editor, admin, stronger, client, cancellation))
        {
            Log = options.Loggers?.CreateLogger("sharpswan.admin") ?? (ILogger)Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
        };

        UseErrorLog(app, options);

        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on form posts, which the login check refuses.
            headers["Referrer-Policy"] = "same-origin";
            if (context.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000";
            }

            return next(context);
        });

        if (options is { HttpsPort: not null, HttpPort: not null, RedirectHttpToHttps: true })
        {
            app.Use((context, next) =>
            {
                if (context.Request.IsHttps)
                {
                    return next(context);
                }

                // Never to the client's Host header: an attacker-chosen Host would make us redirect browsers anywhere.
                context.Response.Redirect(HttpsRedirect.Target(options.Address, context, HttpsPort(app, options)), permanent: true);
                return Task.CompletedTask;
            });
        }

        var api = app.MapGroup("/api/v2");
        api.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            var caller = authentication.AuthorizeApi(context);
            if (!caller.Succeeded)
            {
                var values = context.Request.RouteValues;
                var body = FortiEnvelope.Error(
                    context,
                    values["path"]?.ToString() ?? "",
                    values["name"]?.ToString() ?? "",
                    caller.FailureStatus,
                    caller.FailureStatus == 403 ? -37 : -1,
                    caller.Failure!);
                return FortiEnvelope.Json(body);
            }

            ChangeAuthors.Remember(context, caller);
            return await next(invocation);
        });
        CmdbEndpoints.Map(api, new CmdbService(editor));
        MonitorEndpoints.Map(api, services.Monitor);
        SessionEndpoints.Map(api, services.ClearSessions, services.ListSessions);
        StatusEndpoints.Map(api, () => services.Applier.Current);
        if (services.Metrics is { } metrics)
        {
            MetricsEndpoint.Map(app, authentication, metrics);
        }

        new GuiEndpoints(authentication, new LoginFormToken(), editor, services.Monitor, services.Timeline, time)
        {
            PolicyHits = services.PolicyHits ?? NoPolicyHits,
        }.Map(app);
    }
}
