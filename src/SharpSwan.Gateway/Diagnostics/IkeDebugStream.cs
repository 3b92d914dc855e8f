using System.Globalization;
using System.Threading.Channels;
using SharpSwan.Gateway.Control;
using SharpSwan.Gateway.Hosting;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// The output of `diagnose debug enable`: the gateway's IKE debug lines that pass the session's level and log filter, in
/// FortiOS's line shape (with the timestamp prefix when `diagnose debug console timestamp enable` is set), one flushed
/// line at a time, until the command is cancelled (Ctrl-C, the client leaving) or the session's debug output is
/// disabled. Level, filter and timestamp are read from the session for every line, so changes take effect at once.
/// </summary>
public static class IkeDebugStream
{
    /// <summary>Lines waiting to be written; a client that reads slower than this loses lines and is told how many.</summary>
    public const int QueueCapacity = 10_000;

    /// <summary>How often a quiet stream looks at the session again (debug disabled, level changed).</summary>
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromMilliseconds(500);

    public static async Task RunAsync(ConsoleIkeLog log, ControlSession session, TextWriter output, CancellationToken cancellation)
    {
        var queue = Channel.CreateBounded<IkeDebugLine>(new BoundedChannelOptions(QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });
        long dropped = 0;
        void Enqueue(IkeDebugLine line)
        {
            if (!queue.Writer.TryWrite(line))
            {
                Interlocked.Increment(ref dropped);
            }
        }

        var threshold = IkeDebugFilter.Threshold(session.IkeDebugLevel);
        var subscription = log.Subscribe(threshold);
        log.LineWritten += Enqueue;
        try
        {
            while (session.DebugEnabled && session.IkeDebugLevel != 0 && !cancellation.IsCancellationRequested)
            {
                if (IkeDebugFilter.Threshold(session.IkeDebugLevel) != threshold)
                {
                    threshold = IkeDebugFilter.Threshold(session.IkeDebugLevel);
                    subscription.Dispose();
                    subscription = log.Subscribe(threshold);
                }

                if (!await WaitForLinesAsync(queue.Reader, cancellation))
                {
                    continue;
                }

                var filter = IkeDebugFilter.From(session.LogFilter);
                while (queue.Reader.TryRead(out var line))
                {
                    if (IkeDebugFilter.LevelShows(session.IkeDebugLevel, line.Level) && filter.Matches(line))
                    {
                        await output.WriteLineAsync(line.Format(session.ConsoleTimestamp));
                    }
                }

                if (Interlocked.Exchange(ref dropped, 0) is var lost and > 0)
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"ike debug: {lost} lines dropped (output too slow)"));
                }

                await output.FlushAsync(cancellation);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Ctrl-C or the client left: the stream simply ends.
        }
        finally
        {
            log.LineWritten -= Enqueue;
            subscription.Dispose();
        }
    }

    /// <summary>True when lines are ready; false after a quiet <see cref="RecheckInterval"/>.</summary>
    private static async Task<bool> WaitForLinesAsync(ChannelReader<IkeDebugLine> reader, CancellationToken cancellation)
    {
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        quiet.CancelAfter(RecheckInterval);
        try
        {
            return await reader.WaitToReadAsync(quiet.Token);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return false;
        }
    }
}
