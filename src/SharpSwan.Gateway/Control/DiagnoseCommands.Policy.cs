using SharpSwan.Cli.Grammar;
using SharpSwan.Config;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Gateway.Policy;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Control;

/// <summary>
/// `diagnose firewall policy list`: the policies in match order with their hit counts; `diagnose sys session
/// filter|list|clear`: the sessions cleared are decided by the policies again at their next packet (a reordered or changed
/// policy reaches them).
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

    /// <summary><see cref="ControlSession.Items"/> key of the session's `diagnose sys session filter`.</summary>
    public const string SessionFilterKey = "diagnose-sys-session-filter";

    /// <summary>What `diagnose sys session clear` does: clears the kernel's sessions the filter matches (tests give their own).</summary>
    public Func<SessionFilter, int> ClearSessions { get; init; } = SessionTable.Clear;

    /// <summary>What `diagnose sys session list` reads: the kernel's IPv4 sessions (tests give their own).</summary>
    public Func<List<ConnectionEntry>> ListSessions { get; init; } = ConnectionTracking.ListIPv4;

    /// <summary>The policy-based tunnels' devices, whose marks name the tunnel a session was sent to.</summary>
    public Func<IReadOnlyDictionary<string, PolicyTunnelDevice>>? PolicyDevices { get; init; }

    /// <summary>`diagnose sys session list`: the sessions the filter matches (all without one).</summary>
    internal async Task SessionListAsync(CommandCall call)
    {
        var filter = SessionFilterOf(Session(call));
        List<ConnectionEntry> sessions;
        try
        {
            sessions = await Task.Run(ListSessions);
        }
        catch (NetlinkException ex)
        {
            await call.Output.WriteAsync(KernelRefused(ex));
            return;
        }

        var devices = PolicyDevices?.Invoke() ?? new Dictionary<string, PolicyTunnelDevice>();
        string? TunnelOf(uint mark) => devices.Values.FirstOrDefault(d => d.Mark == mark)?.Phase1;
        await call.Output.WriteAsync(SessionReport.Render([.. sessions.Where(filter.Matches)], TunnelOf));
    }

    /// <summary>`get system session list`: every session, one line each (FortiOS's table; the session filter is `diagnose`'s).</summary>
    internal async Task SessionTableAsync(CommandCall call)
    {
        try
        {
            await call.Output.WriteAsync(SessionReport.RenderTable(await Task.Run(ListSessions)));
        }
        catch (NetlinkException ex)
        {
            await call.Output.WriteAsync(KernelRefused(ex));
        }
    }

    /// <summary>`diagnose sys session stat`: the session count and the TCP sessions by state (every session, whatever the filter).</summary>
    internal async Task SessionStatAsync(CommandCall call)
    {
        try
        {
            await call.Output.WriteAsync(SessionReport.RenderStatistics(await Task.Run(ListSessions)));
        }
        catch (NetlinkException ex)
        {
            await call.Output.WriteAsync(KernelRefused(ex));
        }
    }

    /// <summary>`diagnose sys session filter [...]`: shows the filter, or changes it for this login.</summary>
    internal Task SessionFilterAsync(CommandCall call)
    {
        var session = Session(call);
        var current = SessionFilterOf(session);
        if (call.Arguments.Count == 0)
        {
            return call.Output.WriteAsync(current.Render());
        }

        if (SessionFilter.Apply(current, call.Arguments, out var error) is not { } next)
        {
            return call.Output.WriteAsync(error!);
        }

        session.Items[SessionFilterKey] = next;
        return Task.CompletedTask;
    }

    /// <summary>`diagnose sys session clear`: the sessions the filter matches (all without one), silently as on FortiOS.</summary>
    internal async Task SessionClearAsync(CommandCall call)
    {
        var filter = SessionFilterOf(Session(call));
        try
        {
            await Task.Run(() => ClearSessions(filter));
        }
        catch (NetlinkException ex)
        {
            await call.Output.WriteAsync(KernelRefused(ex));
        }
    }

    private static string KernelRefused(NetlinkException refusal) => $"{refusal.Message}\nCommand fail. Return code -1\n";

    private static SessionFilter SessionFilterOf(ControlSession session) =>
        session.Items.TryGetValue(SessionFilterKey, out var value) && value is SessionFilter filter ? filter : SessionFilter.None;
}
