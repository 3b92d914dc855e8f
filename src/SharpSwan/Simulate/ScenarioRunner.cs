using System.Net;
using SharpSwan.Commands;
using SharpSwan.Config;
using SharpSwan.Ike.Logging;
using SharpSwan.Simulation;

namespace SharpSwan.Simulate;

/// <summary>
/// Runs `sharpswan simulate`: the real engine of each configuration on a deterministic in-memory network, driven by the
/// script, with the lifecycle invariants watched throughout. Exit codes: 0 ran and the invariants held, 1 the configs or
/// the script are not usable, 2 the run broke an invariant or failed (the seed to replay it is printed).
/// </summary>
public static class ScenarioRunner
{
    public const int Ok = 0;
    public const int Unusable = 1;
    public const int Broken = 2;

    public static int Run(SimulateOptions options, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        var gateways = new List<(string Name, GatewayConfiguration Configuration)>();
        foreach (var file in options.Configs)
        {
            var name = Path.GetFileNameWithoutExtension(file.Name);
            if (gateways.Any(g => g.Name == name))
            {
                errors.WriteLine($"{file.Name}: a gateway named {name} exists already (gateways are named after their configuration files)");
                return Unusable;
            }

            if (ConfigFile.Load(file, errors) is not { } configuration)
            {
                return Unusable;
            }

            gateways.Add((name, configuration));
        }

        if (gateways.Count < 2)
        {
            errors.WriteLine("simulate needs at least two --config files, one per gateway");
            return Unusable;
        }

        if (!options.Script.Exists)
        {
            errors.WriteLine($"{options.Script.FullName}: no such file");
            return Unusable;
        }

        var script = ScriptParser.Parse(File.ReadAllText(options.Script.FullName), options.Script.Name, gateways.ToDictionary(g => g.Name, g => g.Configuration));
        if (!script.IsValid)
        {
            foreach (var error in script.Errors)
            {
                errors.WriteLine(error);
            }

            errors.WriteLine($"{options.Script.Name}: {script.Errors.Count} error(s); nothing was simulated");
            return Unusable;
        }

        var explicitAddresses = script.Commands
            .Where(c => c.Kind == ScriptCommandKind.GatewayAddress)
            .ToDictionary(c => c.Gateway!, c => IPAddress.Parse(c.Argument!));
        var plan = GatewayAddressPlan.Resolve(gateways, explicitAddresses, out var addressErrors);
        if (addressErrors.Count > 0)
        {
            foreach (var error in addressErrors)
            {
                errors.WriteLine($"{options.Script.Name}: {error}");
            }

            return Unusable;
        }

        var seed = options.Seed ?? Random.Shared.Next();
        using var simulation = new Simulation.Simulation(seed);
        TimelineWriter writer = options.Json
            ? new JsonTimelineWriter(output, simulation.Clock.Start, options.Verbose)
            : new TextTimelineWriter(output, simulation.Clock.Start);
        var run = new SimulationRun(simulation, writer, options.Script.Directory ?? new DirectoryInfo("."), errors);
        foreach (var (name, configuration) in gateways)
        {
            var gateway = simulation.AddGateway(name, configuration, plan[name].Address);
            gateway.LogLevel = options.Verbose ? IkeLogLevel.Negotiation : IkeLogLevel.Event;
        }

        writer.Header(seed, gateways.Select(g => (g.Name, plan[g.Name].Address, plan[g.Name].Reason)).ToList());
        return run.Execute(script.Commands, seed);
    }

    /// <summary>One run: the simulation, its flows, and the script's commands applied in order.</summary>
    private sealed class SimulationRun
    {
        private readonly Simulation.Simulation simulation;
        private readonly TimelineWriter writer;
        private readonly DirectoryInfo scriptDirectory;
        private readonly TextWriter errors;
        private readonly List<TrafficFlow> flows = [];
        private readonly LifecycleInvariants invariants;

        public SimulationRun(Simulation.Simulation simulation, TimelineWriter writer, DirectoryInfo scriptDirectory, TextWriter errors)
        {
            this.simulation = simulation;
            this.writer = writer;
            this.scriptDirectory = scriptDirectory;
            this.errors = errors;
            invariants = new LifecycleInvariants(simulation);
            simulation.LogWritten += writer.Log;
            simulation.EventRecorded += writer.Event;
        }

        public int Execute(IReadOnlyList<ScriptCommand> commands, int seed)
        {
            try
            {
                foreach (var gateway in simulation.Gateways)
                {
                    gateway.PacketReceived += (_, _, packet) =>
                    {
                        if (TrafficFlow.FlowOf(packet) is { } number && number < flows.Count)
                        {
                            flows[number].CountDelivery();
                        }
                    };
                }

                simulation.Start();
                foreach (var command in commands.Where(c => c.Kind != ScriptCommandKind.GatewayAddress))
                {
                    writer.Script(simulation.Now, command);
                    if (!Apply(command))
                    {
                        return Unusable;
                    }
                }

                foreach (var flow in flows.Where(f => f.Schedule is not null))
                {
                    flow.Schedule!.Dispose();
                    writer.Flow(simulation.Now, flow);
                }

                var report = invariants.Check();
                writer.Summary(simulation.Now, simulation.Gateways, report);
                if (!report.Holds)
                {
                    writer.Failure(simulation.Now, seed, $"{report.Violations.Count} lifecycle invariant violation(s)");
                    return Broken;
                }

                return Ok;
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IOException)
            {
                writer.Failure(simulation.Now, seed, ex.Message);
                errors.WriteLine($"simulation failed with seed {seed} (replay with --seed {seed}): {ex.Message}");
                return Broken;
            }
        }

        private bool Apply(ScriptCommand command)
        {
            switch (command.Kind)
            {
                case ScriptCommandKind.Advance:
                    simulation.RunFor(command.Time!.Value);
                    break;
                case ScriptCommandKind.At:
                    simulation.RunUntil(simulation.Clock.Start + command.Time!.Value);
                    break;
                case ScriptCommandKind.TrafficOn:
                    var flow = new TrafficFlow(flows.Count, simulation.Gateway(command.Gateway!), command.Source!, command.Destination!);
                    flows.Add(flow);
                    flow.SendOne();
                    flow.Schedule = simulation.Every(command.Time!.Value, flow.SendOne);
                    break;
                case ScriptCommandKind.TrafficOff:
                    foreach (var stopped in flows.Where(f => f.Schedule is not null && (command.All || (f.From.Name == command.Gateway && f.Source.Equals(command.Source) && f.Destination.Equals(command.Destination)))))
                    {
                        stopped.Schedule!.Dispose();
                        stopped.Schedule = null;
                        writer.Flow(simulation.Now, stopped);
                    }

                    break;
                case ScriptCommandKind.Send:
                    var burst = new TrafficFlow(flows.Count, simulation.Gateway(command.Gateway!), command.Source!, command.Destination!);
                    flows.Add(burst);
                    for (var i = 0; i < command.Count; i++)
                    {
                        burst.SendOne();
                    }

                    break;
                case ScriptCommandKind.LinkDown:
                    ForEachLink(command, (a, b) => simulation.Network.Partition(a, b));
                    break;
                case ScriptCommandKind.LinkUp:
                    ForEachLink(command, (a, b) => simulation.Network.Heal(a, b));
                    break;
                case ScriptCommandKind.Loss:
                    ForEachLink(command, (a, b) => simulation.Network.SetLink(a, b, simulation.Network.GetLink(a, b) with { LossPercent = command.Percent!.Value }));
                    break;
                case ScriptCommandKind.Latency:
                    ForEachLink(command, (a, b) => simulation.Network.SetLink(a, b, simulation.Network.GetLink(a, b) with { Latency = command.Time!.Value }));
                    break;
                case ScriptCommandKind.Restart:
                    simulation.Gateway(command.Gateway!).Restart();
                    break;
                case ScriptCommandKind.Crash:
                    simulation.Gateway(command.Gateway!).Crash();
                    break;
                case ScriptCommandKind.Boot:
                    simulation.Gateway(command.Gateway!).Boot();
                    break;
                case ScriptCommandKind.Rekey:
                    var rekeyed = command.Phase2 is null
                        ? simulation.Gateway(command.Gateway!).RekeyIke(command.Phase1!)
                        : simulation.Gateway(command.Gateway!).RekeyChild(command.Phase1!, command.Phase2);
                    if (!rekeyed)
                    {
                        writer.Note(simulation.Now, command.Gateway!, $"nothing to rekey: {command.Phase1}{(command.Phase2 is null ? string.Empty : "/" + command.Phase2)} has no established SA");
                    }

                    break;
                case ScriptCommandKind.Down:
                    simulation.Gateway(command.Gateway!).Terminate(command.Phase1!, command.Phase2);
                    break;
                case ScriptCommandKind.Up:
                    if (!simulation.Gateway(command.Gateway!).Initiate(command.Phase1!, command.Phase2))
                    {
                        writer.Note(simulation.Now, command.Gateway!, $"cannot bring {command.Phase1} up from here (dial-up phase1, or gateway down)");
                    }

                    break;
                case ScriptCommandKind.Config:
                    var file = new FileInfo(Path.Combine(scriptDirectory.FullName, command.Argument!));
                    if (ConfigFile.Load(file, errors) is not { } configuration)
                    {
                        errors.WriteLine($"line {command.Line}: configuration {command.Argument} for gateway {command.Gateway} does not load");
                        return false;
                    }

                    simulation.Gateway(command.Gateway!).ApplyConfiguration(configuration);
                    break;
            }

            return true;
        }

        /// <summary>The named link, or (without names) every link between two of the gateways, new ones included.</summary>
        private void ForEachLink(ScriptCommand command, Action<IPAddress, IPAddress> apply)
        {
            if (command.Gateway is not null)
            {
                apply(simulation.Gateway(command.Gateway).LocalAddress, simulation.Gateway(command.Peer!).LocalAddress);
                return;
            }

            var all = simulation.Gateways;
            for (var i = 0; i < all.Count; i++)
            {
                for (var j = i + 1; j < all.Count; j++)
                {
                    apply(all[i].LocalAddress, all[j].LocalAddress);
                }
            }
        }
    }
}
