using SharpSwan.Cli.Grammar;
using SharpSwan.Config;
using SharpSwan.Gateway.Policy;

namespace SharpSwan.Gateway.Control;

/// <summary>`diagnose firewall policy list`: the policies in match order with their hit counts.</summary>
public sealed partial class DiagnoseCommands
{
    /// <summary>The configuration in force (the policies and their order).</summary>
    public Func<GatewayConfiguration>? Configuration { get; init; }

    internal async Task PolicyListAsync(CommandCall call)
    {
        var configuration = Configuration?.Invoke() ?? GatewayConfiguration.Empty;
        var counters = configuration.HasPolicyTable ? await Task.Run(PolicyReport.ReadCounters) : new Dictionary<string, (long, long)>();
        await call.Output.WriteAsync(PolicyReport.Render(configuration, counters));
    }
}
