using System.CommandLine;
using System.Runtime.InteropServices;
using SharpSwan.Config;
using SharpSwan.Gateway.Hosting;
using SharpSwan.Platform;
using SharpSwan.Web.Hosting;

namespace SharpSwan.Commands;

/// <summary>`sharpswan run --config FILE`: the gateway in the foreground until SIGINT/SIGTERM.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var control = CommonOptions.Control();
        var level = new Option<int>("--log-level")
        {
            Description = "IKE debug level on stdout: -1 all, 0 none, 1 events, 2 negotiation, 3 packets",
            DefaultValueFactory = _ => 1,
        };
        var command = new Command("run", "run the gateway in the foreground") { config, control, level };
        command.SetAction(parse =>
        {
            // Secrets in text that is not the file (show, the editors, the web) use the same key file as the file.
            SecretKeyring.Current = SecretKeyring.ForConfigurationFile(parse.GetValue(config)!.FullName);
            var configuration = ConfigFile.Load(parse.GetValue(config)!, Console.Error, strict: false, out var oldSecrets);
            if (configuration is null)
            {
                return 1;
            }

            if (oldSecrets && !MigrateSecrets(parse.GetValue(config)!, configuration))
            {
                return 1;
            }

            if (!ProcessPrivileges.IsRoot)
            {
                Console.Error.WriteLine("sharpswan run needs root (CAP_NET_ADMIN) to create tunnel interfaces and routes: run it with sudo");
                return 1;
            }

            var stop = new ManualResetEventSlim();
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Set(); });
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Set(); });
            var options = new GatewayOptions
            {
                ControlPath = parse.GetValue(control)!,
                LogLevel = parse.GetValue(level),
                ConfigPath = parse.GetValue(config)!.FullName,

                // The VPN event log lives next to the configuration: sharpswan.conf -> sharpswan.events.log.
                EventLogPath = Path.ChangeExtension(parse.GetValue(config)!.FullName, ".events.log"),
            };
            GatewayService gateway;
            try
            {
                gateway = GatewayService.Start(configuration, options, Console.Out);
            }
            catch (Exception ex) when (ex is NetlinkException or IOException or InvalidOperationException or System.Net.Sockets.SocketException or ArgumentException)
            {
                Console.Error.WriteLine($"sharpswan: cannot start: {ex.Message}");
                return 1;
            }

            using (gateway)
            {
                // The web GUI and REST API, when config system global sets admin-sport (HTTPS) or admin-port (HTTP).
                AdminWebServer? web;
                try
                {
                    web = GatewayWebHost.StartIfEnabled(gateway, parse.GetValue(config)!.FullName, Console.Out, Console.Error);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
                {
                    Console.Error.WriteLine($"sharpswan: cannot start the web GUI: {ex.Message}");
                    return 1;
                }

                Console.WriteLine($"sharpswan: running with {configuration.Phase1.Length} phase1 and {configuration.Phase2.Length} phase2; control socket {options.ControlPath}");
                stop.Wait();
                Console.WriteLine("sharpswan: stopping");
                web?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// Secrets in SharpSwan's old base64 form are readable by anyone who reads the file: the file is saved again at
    /// once with them encrypted (the replaced version is kept as a revision, 0600).
    /// </summary>
    private static bool MigrateSecrets(FileInfo file, Config.GatewayConfiguration configuration)
    {
        try
        {
            new Config.ConfigurationStore(file.FullName).Save(configuration);
            Console.WriteLine($"sharpswan: {file.Name}: secrets in the old base64 form saved encrypted (key {SecretKeyring.ForConfigurationFile(file.FullName).KeyFile})");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"sharpswan: cannot save {file.FullName} with its secrets encrypted: {e.Message}");
            return false;
        }
    }
}
