using System.CommandLine;
using SharpSwan.Gateway.Hosting;

namespace SharpSwan.Commands;

internal static class CommonOptions
{
    public static Option<FileInfo> Config() => new("--config")
    {
        Description = "FortiOS-syntax configuration file",
        Required = true,
    };

    public static Option<string> Control() => new("--control")
    {
        Description = "control socket path",
        DefaultValueFactory = _ => GatewayOptions.DefaultControlPath,
    };
}
