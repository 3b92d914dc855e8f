using System.CommandLine;

namespace SharpSwan.Commands;

/// <summary>`sharpswan demo`: two gateways in two network namespaces, a tunnel, pings across it.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var peer = new Option<string>("--peer")
        {
            Description = "the second gateway: sharpswan (default) or strongswan",
            DefaultValueFactory = _ => "sharpswan",
        };
        var command = new Command("demo", "bring up a tunnel between two namespaces and ping across it") { peer };
        command.SetAction(parse => Demo.DemoRunner.Run(parse.GetValue(peer)!, Console.Out));
        return command;
    }
}
