using Microsoft.Extensions.Logging;
using SharpSwan.Config;
using SharpSwan.Gateway.Hosting;
using SharpSwan.Gateway.Policy;
using SharpSwan.Platform;
using SharpSwan.Web.Api;
using SharpSwan.Web.Monitoring;
using SharpSwan.Web.Persistence;

namespace SharpSwan.Web.Hosting;

/// <summary>
/// Starts the web GUI and REST API next to a running gateway when <c>config system global</c> sets <c>admin-sport</c>
/// (HTTPS) or <c>admin-port</c> (HTTP). The certificate is kept in the gateway's state directory.
/// </summary>
public static class GatewayWebHost
{
    public const string CertificateFileName = "sharpswan-admin.pfx";

    /// <summary>
    /// The gateway's one tunnel monitor, whether the web server runs or not: the CLI's <c>--json</c> answers come from it
    /// (through <see cref="GatewayService.MonitorJson"/>) with the same fields and statistics baselines as REST.
    /// </summary>
    public static ITunnelMonitor ConnectMonitor(GatewayService gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var monitor = new GatewayTunnelMonitor(gateway, gateway.Clock);
        gateway.MonitorJson = new MonitorJsonSource(monitor, () => gateway.Current);
        return monitor;
    }

    /// <summary>The running server, or null when the configuration does not ask for one.</summary>
    /// <param name="loggers">Where Kestrel's and the admin sessions' log goes (the service log); null drops it.</param>
    /// <param name="monitor">The gateway's tunnel monitor (<see cref="ConnectMonitor"/>); null makes one for the web alone.</param>
    public static AdminWebServer? StartIfEnabled(
        GatewayService gateway, string configurationPath, TextWriter output, TextWriter errors, ILoggerFactory? loggers = null, ITunnelMonitor? monitor = null)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(configurationPath);
        var directory = gateway.Options.StateDirectory ?? Path.GetDirectoryName(Path.GetFullPath(configurationPath))!;
        var options = AdminWebOptions.FromConfiguration(gateway.Current, Path.Combine(directory, CertificateFileName));
        if (options is null)
        {
            return null;
        }

        var timeline = new TunnelTimeline();
        timeline.Follow(gateway.Events);
        var services = new AdminWebServices(
            gateway,
            monitor ?? new GatewayTunnelMonitor(gateway, gateway.Clock),
            new ConfigurationStorePersistence(new ConfigurationStore(configurationPath, revisionDirectory: gateway.Options.RevisionDirectory)),
            timeline,
            gateway.EditTracker)
        {
            Metrics = gateway.Metrics,
            PolicyHits = ReadPolicyHits,
            ClearSessions = SessionTable.Clear,
            ListSessions = ConnectionTracking.ListIPv4,
        };
        var server = AdminWebServer.StartAsync(options with { ErrorLog = errors, Loggers = loggers }, services).GetAwaiter().GetResult();
        foreach (var address in server.Addresses)
        {
            output.WriteLine($"sharpswan: web GUI and REST API on {address}");
        }

        return server;
    }

    /// <summary>The counters of the gateway's nftables table (<c>policy_&lt;id&gt;</c>), by policy id.</summary>
    private static IReadOnlyDictionary<long, PolicyHitCount> ReadPolicyHits() =>
        PolicyReport.ReadCounters()
            .Select(c => (Id: PolicyReport.PolicyId(c.Key), c.Value))
            .Where(c => c.Id is not null)
            .ToDictionary(c => c.Id!.Value, c => new PolicyHitCount(c.Value.Packets, c.Value.Bytes));
}
