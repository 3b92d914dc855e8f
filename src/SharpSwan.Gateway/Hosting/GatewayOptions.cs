namespace SharpSwan.Gateway.Hosting;

public sealed record GatewayOptions
{
    public const string DefaultControlPath = "/run/sharpswan/sharpswan.sock";

    public string ControlPath { get; init; } = DefaultControlPath;

    /// <summary>IKE debug level for standard output: -1 everything, 0 nothing, 1 events, 2 negotiation, 3 packets.</summary>
    public int LogLevel { get; init; } = 1;

    /// <summary>MTU of the tunnel interfaces: room for ESP in UDP over a 1500-byte path.</summary>
    public int TunnelMtu { get; init; } = 1400;

    /// <summary>The configuration file (--config): rewritten after every change applied from the CLI; null keeps changes in memory.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>File the VPN event log is appended to (rotated at 1 MiB, 3 old files kept); null keeps events in memory only.</summary>
    public string? EventLogPath { get; init; }
}
