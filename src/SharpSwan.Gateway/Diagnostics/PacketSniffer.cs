using System.Net.NetworkInformation;
using System.Threading.Channels;
using SharpPcap;
using SharpPcap.LibPcap;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// `diagnose sniffer packet`: a libpcap capture (through SharpPcap) on one interface or on every interface of the
/// gateway's network namespace, tunnel interfaces included, printed the FortiOS way until the count is reached or the
/// command is cancelled. Each interface gets two handles, one per direction (pcap_setdirection), so the direction is
/// exact on every link type and levels 3 and 6 can dump each link's own header. Needs root or CAP_NET_RAW.
/// </summary>
public sealed class PacketSniffer(TimeProvider time)
{
    /// <summary>Captured packets waiting to be printed; beyond this they are dropped and counted as dropped.</summary>
    public const int QueueCapacity = 10_000;

    private const int ReadTimeoutMilliseconds = 100;

    /// <summary>How long a packet waits for earlier ones from other handles before it is printed.</summary>
    private static readonly TimeSpan ReorderDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>Runs one capture; setup errors are written FortiOS-style (`... Command fail. Return code -1`).</summary>
    public async Task RunAsync(SnifferOptions options, TextWriter output, CancellationToken cancellation)
    {
        var handles = new List<CaptureHandle>();
        PcapNgWriter? pcap = null;
        try
        {
            if (options.PcapPath is { } path)
            {
                try
                {
                    pcap = new PcapNgWriter(OpenOwnerOnly(path), options.FrameSize);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    await output.WriteAsync($"cannot write {path}: {ex.Message}\nCommand fail. Return code -1\n");
                    return;
                }
            }

            var error = OpenHandles(options, handles);
            if (error is not null)
            {
                await output.WriteAsync($"{error}\nCommand fail. Return code -1\n");
                return;
            }

            await CaptureAsync(options, handles, pcap, output, cancellation);
        }
        finally
        {
            foreach (var handle in handles)
            {
                handle.Dispose();
            }

            pcap?.Dispose();
        }
    }

    /// <summary>
    /// The capture file, readable by its owner only (as the configuration and its keys): on `any` it holds the tunnel
    /// interfaces' decrypted traffic. A file that already existed keeps its mode when opened, so that mode is set too.
    /// </summary>
    private static FileStream OpenOwnerOnly(string path)
    {
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.Read };
        if (OperatingSystem.IsWindows())
        {
            return new FileStream(path, options);
        }

        options.UnixCreateMode = OwnerOnly;
        var stream = new FileStream(path, options);
        try
        {
            File.SetUnixFileMode(stream.SafeFileHandle, OwnerOnly);
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static string? OpenHandles(SnifferOptions options, List<CaptureHandle> handles)
    {
        IReadOnlyList<PcapInterface> all;
        try
        {
            all = PcapInterface.GetAllPcapInterfaces();
        }
        catch (Exception ex) when (ex is PcapException or DllNotFoundException or EntryPointNotFoundException)
        {
            return $"sniffer: libpcap is not available: {ex.Message}";
        }

        var wantsAll = options.Interface.Equals("any", StringComparison.OrdinalIgnoreCase);
        var links = NetworkInterface.GetAllNetworkInterfaces().Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        var targets = wantsAll
            ? all.Where(i => links.Contains(i.Name)).ToList()
            : all.Where(i => i.Name == options.Interface).ToList();
        if (targets.Count == 0)
        {
            return wantsAll ? "sniffer: no interface to capture on" : $"sniffer: interface {options.Interface} not found";
        }

        foreach (var target in targets)
        {
            var error = OpenInterface(target, options, handles);
            if (error is null)
            {
                continue;
            }

            // With `any`, a link that cannot be captured (down, vanished) is skipped; a bad filter fails everywhere.
            if (!wantsAll || error.StartsWith("pcap_compile", StringComparison.Ordinal))
            {
                return error;
            }
        }

        return handles.Count == 0 ? "sniffer: no interface could be opened (root or CAP_NET_RAW is needed)" : null;
    }

    private static string? OpenInterface(PcapInterface target, SnifferOptions options, List<CaptureHandle> handles)
    {
        var opened = new List<CaptureHandle>();
        try
        {
            foreach (var direction in new[] { SnifferDirection.In, SnifferDirection.Out })
            {
                var device = new LibPcapLiveDevice(target);
                var handle = new CaptureHandle(target.Name, device, direction);
                opened.Add(handle);
                device.Open(new DeviceConfiguration
                {
                    Mode = DeviceModes.None,
                    Snaplen = options.FrameSize,
                    ReadTimeout = ReadTimeoutMilliseconds,
                    Immediate = true,
                });
                if (!LibPcapNative.SetDirection(device.Handle, direction == SnifferDirection.In ? LibPcapNative.DirectionIn : LibPcapNative.DirectionOut))
                {
                    return $"sniffer: cannot select the {direction.ToString().ToLowerInvariant()}bound direction on {target.Name}";
                }

                if (options.Filter is { } filter)
                {
                    try
                    {
                        device.Filter = filter;
                    }
                    catch (PcapException ex)
                    {
                        return $"pcap_compile: {ex.Message}";
                    }
                }
            }

            handles.AddRange(opened);
            opened.Clear();
            return null;
        }
        catch (PcapException ex)
        {
            return $"sniffer: cannot capture on {target.Name}: {ex.Message}";
        }
        finally
        {
            foreach (var handle in opened)
            {
                handle.Dispose();
            }
        }
    }

    private async Task CaptureAsync(SnifferOptions options, List<CaptureHandle> handles, PcapNgWriter? pcap, TextWriter output, CancellationToken cancellation)
    {
        var queue = Channel.CreateBounded<CapturedFrame>(new BoundedChannelOptions(QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });
        long received = 0;
        long queueDrops = 0;
        foreach (var handle in handles)
        {
            var linkType = CaptureLinkType.FromDataLink((int)handle.Device.LinkType);
            handle.Device.OnPacketArrival += (_, capture) =>
            {
                var data = capture.Data.ToArray();
                var originalLength = capture.Header is PcapHeader header ? (int)header.PacketLength : data.Length;
                var timeval = capture.Header.Timeval;
                var timestamp = DateTimeOffset.UnixEpoch.AddTicks(((long)timeval.Seconds * TimeSpan.TicksPerSecond) + ((long)timeval.MicroSeconds * 10));
                Interlocked.Increment(ref received);
                if (!queue.Writer.TryWrite(new CapturedFrame(timestamp, handle.Interface, handle.Direction, linkType, data, originalLength)))
                {
                    Interlocked.Increment(ref queueDrops);
                }
            };
        }

        await output.WriteAsync(SnifferFormatter.Header(options));
        await output.FlushAsync(cancellation);
        var start = time.GetUtcNow();
        foreach (var handle in handles)
        {
            handle.Start();
        }

        // Each handle delivers on its own thread, so packets arrive slightly out of order across interfaces and
        // directions: hold each one for a short while and print in timestamp order.
        var pending = new PriorityQueue<CapturedFrame, (long Ticks, long Arrival)>();
        long arrivals = 0;
        var printed = 0;
        bool Done() => options.Count > 0 && printed >= options.Count;
        void Take(CapturedFrame frame) => pending.Enqueue(frame, (frame.Timestamp.UtcTicks, arrivals++));
        async Task PrintAsync(CapturedFrame frame, CancellationToken token)
        {
            await output.WriteAsync(SnifferFormatter.Packet(frame, options, start, TimeZoneInfo.Local));
            await output.FlushAsync(token);
            pcap?.Write(frame);
            printed++;
        }

        try
        {
            while (!Done())
            {
                if (pending.Count == 0)
                {
                    Take(await queue.Reader.ReadAsync(cancellation));
                }

                while (queue.Reader.TryRead(out var more))
                {
                    Take(more);
                }

                var oldest = pending.Peek();
                var wait = oldest.Timestamp + ReorderDelay - time.GetUtcNow();
                if (wait > TimeSpan.Zero && wait <= ReorderDelay)
                {
                    using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                    wake.CancelAfter(wait);
                    try
                    {
                        await queue.Reader.WaitToReadAsync(wake.Token);
                    }
                    catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                    {
                        // The oldest packet is due.
                    }

                    continue;
                }

                await PrintAsync(pending.Dequeue(), cancellation);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Ctrl-C or the client left: stop and report, as FortiOS does.
        }

        long kernelDrops = 0;
        foreach (var handle in handles)
        {
            kernelDrops += handle.StopAndCountDrops();
        }

        while (queue.Reader.TryRead(out var late))
        {
            Take(late);
        }

        try
        {
            // Packets captured before the stop are still shown (up to the count).
            while (!Done() && pending.TryDequeue(out var frame, out _))
            {
                await PrintAsync(frame, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The client is gone.
        }

        pcap?.Flush();
        try
        {
            await output.WriteAsync(SnifferFormatter.Footer(Interlocked.Read(ref received), kernelDrops + Interlocked.Read(ref queueDrops)));
            await output.FlushAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The client is gone; nobody reads the counters.
        }
    }

    /// <summary>One libpcap handle: an interface seen in one direction.</summary>
    private sealed class CaptureHandle(string name, LibPcapLiveDevice device, SnifferDirection direction) : IDisposable
    {
        private bool _started;

        public string Interface { get; } = name;

        public LibPcapLiveDevice Device { get; } = device;

        public SnifferDirection Direction { get; } = direction;

        public void Start()
        {
            Device.StartCapture();
            _started = true;
        }

        public long StopAndCountDrops()
        {
            if (!_started)
            {
                return 0;
            }

            _started = false;
            try
            {
                Device.StopCapture();
                return Device.Statistics.DroppedPackets;
            }
            catch (PcapException)
            {
                return 0;
            }
        }

        public void Dispose()
        {
            StopAndCountDrops();
            Device.Dispose();
        }
    }
}
