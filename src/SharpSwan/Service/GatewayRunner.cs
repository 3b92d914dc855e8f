using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using SharpSwan.Commands;
using SharpSwan.Config;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Hosting;
using SharpSwan.Platform;
using SharpSwan.Web.Hosting;

namespace SharpSwan.Service;

/// <summary>
/// `sharpswan run` as a service: checks the configuration and privileges (exit 78 / 77), starts the gateway and the web
/// server, tells systemd it is ready, reloads the file on SIGHUP through the same validate-then-apply path as the CLI,
/// and stops cleanly on SIGINT/SIGTERM.
/// </summary>
internal sealed class GatewayRunner(RunSettings settings, ILogger logger, ILoggerFactory loggers)
{
    private readonly SemaphoreSlim _signals = new(0);
    private volatile bool _stopRequested;
    private int _reloadsRequested;

    private static bool IsTheSharpSwanProgram => System.Reflection.Assembly.GetEntryAssembly() == typeof(GatewayRunner).Assembly;

    public int Run()
    {
        // As root, keep only the three capabilities the gateway uses (and become --user / sharpswan): this re-executes
        // the process's own command line, so only the sharpswan program itself does it (tests run `run` inside their test
        // host, whose image and privileges must stay as they are).
        if (IsTheSharpSwanProgram &&
            PrivilegeDrop.ReexecuteWithGatewayCapabilities(settings.User, settings.Config.FullName, settings.StateDirectory.FullName) is { } dropFailed)
        {
            logger.LogError("cannot drop root privileges: {Error}", dropFailed);
            return ExitCodes.NoPermission;
        }

        if (PrivilegeDrop.Dropped)
        {
            logger.LogInformation(
                "root privileges dropped: running as uid {Uid} with CAP_NET_ADMIN, CAP_NET_RAW and CAP_NET_BIND_SERVICE only", ProcessPrivileges.EffectiveUserId);
        }

        var configPath = settings.Config.FullName;
        using var keys = new SecretKeyScope(configPath, settings.StateDirectory.FullName);
        var configuration = ConfigFile.Load(settings.Config, Console.Error, strict: false, out var oldSecrets);
        if (configuration is null)
        {
            logger.LogError("configuration {Path} refused; not starting", configPath);
            return ExitCodes.ConfigurationError;
        }

        var missing = ProcessPrivileges.MissingGatewayCapabilities();
        if (missing.Count > 0)
        {
            logger.LogError(
                "sharpswan run needs {Capabilities} to create tunnel interfaces, routes and raw ESP sockets: run it as root or with those capabilities (the sharpswan.service unit grants them)",
                string.Join(", ", missing));
            return ExitCodes.NoPermission;
        }

        if (!TryCreateStateDirectory(out var stateError))
        {
            logger.LogError("cannot create the state directory {Directory}: {Error}", settings.StateDirectory.FullName, stateError);
            return ExitCodes.Failure;
        }

        if (oldSecrets && !MigrateSecrets(configuration))
        {
            return ExitCodes.Failure;
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Reload);
        if (!DataPlaneWorkers.TryParse(Environment.GetEnvironmentVariable(DataPlaneWorkers.VariableName), out var workers, out var workersError))
        {
            logger.LogError("cannot start: {Error}", workersError);
            return ExitCodes.ConfigurationError;
        }

        var options = new GatewayOptions
        {
            DataPlaneWorkers = workers,
            ControlPath = settings.ControlPath,
            LogLevel = settings.LogLevel,
            ConfigPath = configPath,
            StateDirectory = settings.StateDirectory.FullName,
            EventLogPath = GatewayOptions.EventLogPathFor(configPath, settings.StateDirectory.FullName),
            ServiceLog = loggers.CreateLogger("sharpswan.config"),
        };
        GatewayService gateway;
        try
        {
            gateway = GatewayService.Start(configuration, options, Console.Out);
        }
        catch (Exception ex) when (ex is NetlinkException or IOException or InvalidOperationException or System.Net.Sockets.SocketException or ArgumentException or UnauthorizedAccessException)
        {
            logger.LogError("cannot start: {Error}", ex.Message);
            return ExitCodes.Failure;
        }

        using (gateway)
        {
            return Serve(gateway, configuration, configPath);
        }
    }

    private int Serve(GatewayService gateway, GatewayConfiguration configuration, string configPath)
    {
        AdminWebServer? web;
        try
        {
            var monitor = GatewayWebHost.ConnectMonitor(gateway);
            web = GatewayWebHost.StartIfEnabled(gateway, configPath, Console.Out, Console.Error, loggers, monitor);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            logger.LogError("cannot start the web GUI: {Error}", ex.Message);
            return ExitCodes.Failure;
        }

        using var notifier = SystemdNotifier.FromEnvironment();
        var status = $"running with {configuration.Phase1.Length} phase1 and {configuration.Phase2.Length} phase2; control socket {settings.ControlPath}";
        logger.LogInformation("sharpswan {Version} {Status}", VersionText.Current, status);
        notifier.Ready(status);
        notifier.StartWatchdog(() => gateway.InvokeOnEngineAsync((_, _) => true).Wait(notifier.WatchdogInterval!.Value));
        while (true)
        {
            _signals.Wait();
            if (_stopRequested)
            {
                break;
            }

            if (Interlocked.Exchange(ref _reloadsRequested, 0) > 0)
            {
                notifier.Reloading();
                new ConfigurationReloader(gateway, logger).Reload(settings.Config);
                notifier.Ready($"running with {gateway.Current.Phase1.Length} phase1 and {gateway.Current.Phase2.Length} phase2 (revision {gateway.Revision})");
            }
        }

        notifier.Stopping();
        logger.LogInformation("stopping: deleting SAs, removing tunnel interfaces and routes");
        web?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return ExitCodes.Ok;
    }

    private void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        _stopRequested = true;
        _signals.Release();
    }

    private void Reload(PosixSignalContext context)
    {
        context.Cancel = true;
        Interlocked.Increment(ref _reloadsRequested);
        _signals.Release();
    }

    /// <summary>
    /// Secrets in SharpSwan's old base64 form are readable by anyone who reads the file: the file is saved again at
    /// once with them encrypted (the replaced version is kept as a revision in the state directory, 0600).
    /// </summary>
    private bool MigrateSecrets(GatewayConfiguration configuration)
    {
        try
        {
            new ConfigurationStore(settings.Config.FullName, revisionDirectory: settings.StateDirectory.FullName).Save(configuration);
            logger.LogInformation(
                "{File}: secrets in the old base64 form saved encrypted (key {KeyFile})",
                settings.Config.Name,
                SecretKeyring.ForConfigurationFile(settings.Config.FullName).KeyFile);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogError("cannot save {File} with its secrets encrypted: {Error}", settings.Config.FullName, e.Message);
            return false;
        }
    }

    private bool TryCreateStateDirectory(out string? error)
    {
        try
        {
            Directory.CreateDirectory(settings.StateDirectory.FullName);
            error = null;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = ex.Message;
            return false;
        }
    }
}
