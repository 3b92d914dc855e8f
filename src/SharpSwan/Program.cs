using System.CommandLine;
using SharpSwan.Commands;

namespace SharpSwan;

/// <summary>Entry point of `./sharpswan`: run, check, import, cli, demo, simulate, pki.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("SharpSwan: an IKEv2/IPsec VPN gateway configured the FortiOS way.");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(CliCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(Pki.PkiCommand.Create());
        foreach (var version in root.Options.OfType<VersionOption>())
        {
            version.Action = new Service.PrintVersionAction();
        }

        return root.Parse(args).Invoke();
    }
}
