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
        private readonly Simulation.Simulation _simulation;
        private readonly TimelineWriter _writer;
        private readonly DirectoryInfo _scriptDirectory;
        private readonly TextWriter _errors;
        private readonly List<TrafficFlow> _flows = [];
        private readonly LifecycleInvariants _invariants;

        public SimulationRun(Simulation.Simulation simulation, TimelineWriter writer, DirectoryInfo scriptDirectory, TextWriter errors)
        {
            this._simulation = simulation;
            this._writer = writer;
            this._scriptDirectory = scriptDirectory;
            this._errors = errors;
            _invariants = new LifecycleInvariants(simulation);
            simulation.LogWritten += writer.Log;
            simulation.EventRecorded += writer.Event;
        }

        public int Execute(IReadOnlyList<ScriptCommand> commands, int seed)
        {
            try
            {
                foreach (var gateway in _simulation.Gateways)
                {
                    gateway.PacketReceived += (_, _, packet) =>
                    {
                        if (TrafficFlow.FlowOf(packet) is { } number && number < _flows.Count)
                        {
                            _flows[number].CountDelivery();
                        }
                    };
                }

                _simulation.Start();
                foreach (var command in commands.Where(c => c.Kind != ScriptCommandKind.GatewayAddress))
                {
                    _writer.Script(_simulation.Now, command);
                    if (!Apply(command))
                    {
                        return Unusable;
                    }
                }

                foreach (var flow in _flows.Where(f => f.Schedule is not null))
                {
                    flow.Schedule!.Dispose();
                    _writer.Flow(_simulation.Now, flow);
                }

                var report = _invariants.Check();
                _writer.Summary(_simulation.Now, _simulation.Gateways, report);
                if (!report.Holds)
                {
                    _writer.Failure(_simulation.Now, seed, $"{report.Violations.Count} lifecycle invariant violation(s)");
                    return Broken;
                }

                return Ok;
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IOException)
            {
                _writer.Failure(_simulation.Now, seed, ex.Message);
                _errors.WriteLine($"simulation failed with seed {seed} (replay with --seed {seed}): {ex.Message}");
                return Broken;
            }
        }

        private bool Apply(ScriptCommand command)
        {
            switch (command.Kind)
            {
                case ScriptCommandKind.Advance:
                    _simulation.RunFor(command.Time!.Value);
                    break;
                case ScriptCommandKind.At:
                    _simulation.RunUntil(_simulation.Clock.Start + command.Time!.Value);
                    break;
                case ScriptCommandKind.TrafficOn:
                    var flow = new TrafficFlow(_flows.Count, _simulation.Gateway(command.Gateway!), command.Source!, command.Destination!);
                    _flows.Add(flow);
                    flow.SendOne();
                    flow.Schedule = _simulation.Every(command.Time!.Value, flow.SendOne);
                    break;
                case ScriptCommandKind.TrafficOff:
                    foreach (var stopped in _flows.Where(f => f.Schedule is not null && (command.All || (f.From.Name == command.Gateway && f.Source.Equals(command.Source) && f.Destination.Equals(command.Destination)))))
                    {
                        stopped.Schedule!.Dispose();
                        stopped.Schedule = null;
                        _writer.Flow(_simulation.Now, stopped);
                    }

                    break;
                case ScriptCommandKind.Send:
                    var burst = new TrafficFlow(_flows.Count, _simulation.Gateway(command.Gateway!), command.Source!, command.Destination!);
                    _flows.Add(burst);
                    for (var i = 0; i < command.Count; i++)
                    {
                        burst.SendOne();
                    }

                    break;
                case ScriptCommandKind.LinkDown:
                    ForEachLink(command, (a, b) => _simulation.Network.Partition(a, b));
                    break;
                case ScriptCommandKind.LinkUp:
                    ForEachLink(command, (a, b) => _simulation.Network.Heal(a, b));
                    break;
                case ScriptCommandKind.Loss:
                    ForEachLink(command, (a, b) => _simulation.Network.SetLink(a, b, _simulation.Network.GetLink(a, b) with { LossPercent = command.Percent!.Value }));
                    break;
                case ScriptCommandKind.Latency:
                    ForEachLink(command, (a, b) => _simulation.Network.SetLink(a, b, _simulation.Network.GetLink(a, b) with { Latency = command.Time!.Value }));
                    break;
                case ScriptCommandKind.Restart:
                    _simulation.Gateway(command.Gateway!).Restart();
                    break;
                case ScriptCommandKind.Crash:
                    _simulation.Gateway(command.Gateway!).Crash();
                    break;
                case ScriptCommandKind.Boot:
                    _simulation.Gateway(command.Gateway!).Boot();
                    break;
                case ScriptCommandKind.Rekey:
                    var rekeyed = command.Phase2 is null
                        ? _simulation.Gateway(command.Gateway!).RekeyIke(command.Phase1!)
                        : _simulation.Gateway(command.Gateway!).RekeyChild(command.Phase1!, command.Phase2);
                    if (!rekeyed)
                    {
                        _writer.Note(_simulation.Now, command.Gateway!, $"nothing to rekey: {command.Phase1}{(command.Phase2 is null ? string.Empty : "/" + command.Phase2)} has no established SA");
                    }

                    break;
                case ScriptCommandKind.Down:
                    _simulation.Gateway(command.Gateway!).Terminate(command.Phase1!, command.Phase2);
                    break;
                case ScriptCommandKind.Up:
                    if (!_simulation.Gateway(command.Gateway!).Initiate(command.Phase1!, command.Phase2))
                    {
                        _writer.Note(_simulation.Now, command.Gateway!, $"cannot bring {command.Phase1} up from here (dial-up phase1, or gateway down)");
                    }

                    break;
                case ScriptCommandKind.Config:
                    var file = new FileInfo(Path.Combine(_scriptDirectory.FullName, command.Argument!));
                    if (ConfigFile.Load(file, _errors) is not { } configuration)
                    {
                        _errors.WriteLine($"line {command.Line}: configuration {command.Argument} for gateway {command.Gateway} does not load");
                        return false;
                    }

                    _simulation.Gateway(command.Gateway!).ApplyConfiguration(configuration);
                    break;
            }

            return true;
        }

        /// <summary>The named link, or (without names) every link between two of the gateways, new ones included.</summary>
        private void ForEachLink(ScriptCommand command, Action<IPAddress, IPAddress> apply)
        {
            if (command.Gateway is not null)
            {
                apply(_simulation.Gateway(command.Gateway).LocalAddress, _simulation.Gateway(command.Peer!).LocalAddress);
                return;
            }

            var all = _simulation.Gateways;
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
