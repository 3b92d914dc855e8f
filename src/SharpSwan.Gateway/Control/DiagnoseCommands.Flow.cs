using System.Globalization;
using SharpSwan.Cli.Grammar;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Control;

/// <summary>
/// `diagnose debug flow filter|show|trace`: follows packets through the firewall policies and into the tunnels, from the
/// kernel's nftables trace (<see cref="FlowTracer"/>). The filter and the function-name setting are kept per login; the
/// trace is one for the gateway, and consoles with debug output enabled show it.
/// </summary>
public sealed partial class DiagnoseCommands
{
    /// <summary><see cref="ControlSession.Items"/> key of the session's `diagnose debug flow filter`.</summary>
    public const string FlowFilterKey = "diagnose-debug-flow-filter";

    /// <summary>The most packets one trace follows.</summary>
    public const int MaxFlowTraceCount = 100_000;

    /// <summary>The gateway's flow tracer; without it the flow commands say the trace is not available.</summary>
    public FlowTracer? Flow { get; init; }

    /// <summary>`diagnose debug flow filter [...]`: shows the filter, or changes it for this login.</summary>
    internal Task FlowFilterAsync(CommandCall call)
    {
        var session = Session(call);
        var current = FlowFilterOf(session);
        if (call.Arguments.Count == 0)
        {
            return call.Output.WriteAsync(current.Render());
        }

        if (FlowFilter.Apply(current, call.Arguments, out var error) is not { } next)
        {
            return call.Output.WriteAsync(error!);
        }

        session.Items[FlowFilterKey] = next;
        return Task.CompletedTask;
    }

    internal Task FlowShowFunctionNameAsync(CommandCall call, bool on)
    {
        Session(call).FlowShowFunctionName = on;
        return Task.CompletedTask;
    }

    /// <summary>
    /// `diagnose debug flow trace start &lt;count&gt;`: traces the next packets the filter matches (replacing a running
    /// trace). With debug output already enabled on this console, the lines follow here until the count is reached.
    /// </summary>
    internal async Task FlowTraceStartAsync(CommandCall call)
    {
        if (call.Arguments.Count != 1
            || !int.TryParse(call.Arguments[0], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count is < 1 or > MaxFlowTraceCount)
        {
            await call.Output.WriteAsync(ParseError(call.Arguments.Count == 0 ? call.Words[^1] : call.Arguments[^1]));
            return;
        }

        if (Flow is null)
        {
            await call.Output.WriteAsync("flow trace: not available in this process\nCommand fail. Return code -1\n");
            return;
        }

        var session = Session(call);
        if (await Task.Run(() => Flow.Start(FlowFilterOf(session), count)) is { } error)
        {
            await call.Output.WriteAsync($"flow trace: {error}\nCommand fail. Return code -1\n");
            return;
        }

        if (session.DebugEnabled)
        {
            await FlowTraceStream.RunAsync(Flow, session, call.Output, call.Cancellation);
        }
    }

    /// <summary>`diagnose debug flow trace stop`.</summary>
    internal Task FlowTraceStopAsync(CommandCall call) => Flow is null ? Task.CompletedTask : Task.Run(Flow.Stop);

    private static FlowFilter FlowFilterOf(ControlSession session) =>
        session.Items.TryGetValue(FlowFilterKey, out var value) && value is FlowFilter filter ? filter : FlowFilter.None;

    private string FlowTraceState() =>
        Flow?.Progress is { } progress
            ? string.Create(CultureInfo.InvariantCulture, $"running ({progress.Traced} of {progress.Asked} packets)")
            : "stopped";
}
