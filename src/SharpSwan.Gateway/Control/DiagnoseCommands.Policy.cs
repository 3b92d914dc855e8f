using SharpSwan.Cli.Grammar;
using SharpSwan.Config;
using SharpSwan.Gateway.Policy;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Control;

/// <summary>
/// `diagnose firewall policy list`: the policies in match order with their hit counts; `diagnose sys session clear`: every
/// connection is decided by the policies again at its next packet (a reordered or changed policy reaches existing ones).
/// </summary>
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

    /// <summary>What `diagnose sys session clear` does: flush this namespace's connection tracking table (tests give their own).</summary>
    public Action ClearSessions { get; init; } = ConnectionTracking.Flush;

    internal async Task SessionClearAsync(CommandCall call)
    {
        try
        {
            await Task.Run(ClearSessions);
        }
        catch (NetlinkException ex)
        {
            await call.Output.WriteAsync($"{ex.Message}\nCommand fail. Return code -1\n");
        }
    }
}
