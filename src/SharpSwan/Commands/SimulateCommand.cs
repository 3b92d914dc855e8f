using System.CommandLine;
using SharpSwan.Simulate;

namespace SharpSwan.Commands;

/// <summary>
/// `sharpswan simulate --config a.conf --config b.conf --script scenario.txt [--seed N] [--json] [--verbose]`: runs the
/// real engine of every configuration in virtual time and prints what happens.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var configs = new Option<FileInfo[]>("--config")
        {
            Description = "a gateway's FortiOS-syntax configuration (repeat: one per gateway, named after the file)",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var script = new Option<FileInfo>("--script")
        {
            Description = "what happens: traffic, link failures, restarts, time passing (see README)",
            Required = true,
        };
        var seed = new Option<int?>("--seed") { Description = "replay a run: the same seed and script give the same timeline" };
        var json = new Option<bool>("--json") { Description = "JSON lines instead of FortiOS-style log lines" };
        var verbose = new Option<bool>("--verbose") { Description = "negotiation detail too (diagnose debug application ike level 2)" };
        var command = new Command("simulate", "run your configurations against each other in virtual time and print the timeline")
        {
            configs, script, seed, json, verbose,
        };
        command.SetAction(parse => ScenarioRunner.Run(
            new SimulateOptions(parse.GetValue(configs)!, parse.GetValue(script)!, parse.GetValue(seed), parse.GetValue(json), parse.GetValue(verbose)),
            Console.Out,
            Console.Error));
        return command;
    }
}
