namespace SharpSwan.Gateway.Hosting;

public sealed record GatewayOptions
{
    public const string DefaultControlPath = "/run/sharpswan/sharpswan.sock";

    /// <summary>Where the package installs the configuration (a conffile).</summary>
    public const string DefaultConfigPath = "/etc/sharpswan/sharpswan.conf";

    /// <summary>The package's state directory (systemd StateDirectory=sharpswan).</summary>
    public const string DefaultStateDirectory = "/var/lib/sharpswan";

    public string ControlPath { get; init; } = DefaultControlPath;

    /// <summary>IKE debug level for standard output: -1 everything, 0 nothing, 1 events, 2 negotiation, 3 packets.</summary>
    public int LogLevel { get; init; } = 1;

    /// <summary>MTU of the tunnel interfaces: room for ESP in UDP over a 1500-byte path.</summary>
    public int TunnelMtu { get; init; } = 1400;

    /// <summary>
    /// Data-plane workers (TUN queues, NAT-T sockets and SA lanes each): 0 is one per core; <c>sharpswan run</c> takes it
    /// from SHARPSWAN_DATAPLANE_WORKERS (<see cref="DataPlane.DataPlaneWorkers"/>).
    /// </summary>
    public int DataPlaneWorkers { get; init; }

    /// <summary>The configuration file (--config): rewritten after every change applied from the CLI; null keeps changes in memory.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>
    /// What the gateway writes besides the configuration (--state-dir): the VPN event log, the configuration's kept
    /// revisions and the GUI certificate; null keeps them beside the configuration file (or in memory without one).
    /// </summary>
    public string? StateDirectory { get; init; }

    /// <summary>File the VPN event log is appended to (rotated at 1 MiB, 3 old files kept); null keeps events in memory only.</summary>
    public string? EventLogPath { get; init; }

    /// <summary>The service log (configuration changes and who made them); null logs nothing.</summary>
    public Microsoft.Extensions.Logging.ILogger? ServiceLog { get; init; }

    /// <summary>The directory the kept configuration revisions go to: the state directory, else beside the file.</summary>
    public string? RevisionDirectory => StateDirectory ?? (ConfigPath is { } path ? Path.GetDirectoryName(Path.GetFullPath(path)) : null);

    /// <summary>The event log's path in <paramref name="stateDirectory"/>: sharpswan.conf -> sharpswan.events.log.</summary>
    public static string EventLogPathFor(string configPath, string stateDirectory) =>
        Path.Combine(stateDirectory, Path.ChangeExtension(Path.GetFileName(configPath), ".events.log"));
}
