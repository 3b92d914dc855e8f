using System.Threading.Channels;
using SharpSwan.Gateway.Control;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// The flow trace's part of `diagnose debug enable`: the steps of the running (or last unseen) trace as FortiOS debug
/// flow lines, until the trace ends, the command is cancelled (Ctrl-C, the client leaving) or debug output is disabled.
/// </summary>
public static class FlowTraceStream
{
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromMilliseconds(500);

    public static async Task RunAsync(FlowTracer tracer, ControlSession session, TextWriter output, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(tracer);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(output);
        var queue = Channel.CreateUnbounded<FlowStep>(new UnboundedChannelOptions { SingleReader = true });
        using var watch = tracer.Watch(step => queue.Writer.TryWrite(step), () => queue.Writer.TryComplete());
        try
        {
            while (session.DebugEnabled && !cancellation.IsCancellationRequested)
            {
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                quiet.CancelAfter(RecheckInterval);
                bool more;
                try
                {
                    more = await queue.Reader.WaitToReadAsync(quiet.Token);
                }
                catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                {
                    continue;
                }

                if (!more)
                {
                    break;
                }

                while (queue.Reader.TryRead(out var step))
                {
                    await output.WriteLineAsync(FlowTraceFormatter.Format(step, session.FlowShowFunctionName));
                }

                await output.FlushAsync(cancellation);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Ctrl-C or the client left: the stream simply ends.
        }
    }
}
