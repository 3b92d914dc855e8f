using System.CommandLine;
using SharpSwan.Gateway.Hosting;

namespace SharpSwan.Commands;

internal static class CommonOptions
{
    public static Option<FileInfo> Config() => new("--config")
    {
        Description = $"FortiOS-syntax configuration file (default {GatewayOptions.DefaultConfigPath})",
        DefaultValueFactory = _ => new FileInfo(GatewayOptions.DefaultConfigPath),
    };

    public static Option<string> Control() => new("--control")
    {
        Description = "control socket path",
        DefaultValueFactory = _ => GatewayOptions.DefaultControlPath,
    };

    public static Option<DirectoryInfo> StateDirectory() => new("--state-dir")
    {
        Description = $"directory of the VPN event log, configuration revisions and the GUI certificate (default {GatewayOptions.DefaultStateDirectory})",
        DefaultValueFactory = _ => new DirectoryInfo(GatewayOptions.DefaultStateDirectory),
    };
}
