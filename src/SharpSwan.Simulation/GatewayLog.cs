using SharpSwan.Ike.Logging;

namespace SharpSwan.Simulation;

/// <summary>Captures one gateway's engine log lines into the simulation, stamped with virtual time.</summary>
internal sealed class GatewayLog(SimulatedGateway gateway, Simulation simulation) : IIkeLog
{
    public bool IsEnabled(IkeLogLevel level) => level <= gateway.LogLevel;

    public void Write(IkeLogLevel level, string line) =>
        simulation.AddLog(new SimulationLogLine(simulation.Now, gateway.Name, level, line));
}
