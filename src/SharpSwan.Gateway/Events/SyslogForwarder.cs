using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using SharpSwan.Config;

namespace SharpSwan.Gateway.Events;

/// <summary>
/// Sends the VPN event log to the syslog server of <c>config log syslogd setting</c>. The event log's thread (the engine's)
/// only puts records in a bounded queue: when the queue is full the record is dropped and counted, so a slow or dead
/// server never holds up negotiations. One background task sends: UDP datagrams, or TCP with octet counting (reliable)
/// or newlines (legacy-reliable), reconnecting with a doubling back-off. <see cref="Configure"/> applies a changed
/// configuration at once (new server, port, mode or format; disable stops sending). Only event records are sent; they
/// carry addresses, names and SPIs, never keys or pre-shared secrets.
/// </summary>
public sealed class SyslogForwarder : IDisposable
{
    public const int DefaultQueueCapacity = 1024;

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly Channel<VpnEventRecord> _queue;
    private readonly VpnEventLog? _source;
    private readonly TimeProvider _time;
    private readonly TimeSpan _firstBackoff;
    private readonly TimeSpan _maxBackoff;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _sender;
    private volatile Target _target;
    private Socket? _socket;
    private SyslogSettings? _connectedFor;
    private long _sent;
    private long _dropped;
    private long _failed;
    private long _connections;

    /// <param name="source">The event log to forward (null: records come only through <see cref="Enqueue"/>).</param>
    /// <param name="firstBackoff">Wait after the first failed TCP connect or send; doubles up to <paramref name="maxBackoff"/>.</param>
    public SyslogForwarder(
        VpnEventLog? source,
        TimeProvider time,
        int queueCapacity = DefaultQueueCapacity,
        TimeSpan? firstBackoff = null,
        TimeSpan? maxBackoff = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(queueCapacity, 1);
        _time = time;
        _firstBackoff = firstBackoff ?? TimeSpan.FromMilliseconds(500);
        _maxBackoff = maxBackoff ?? TimeSpan.FromSeconds(30);
        _target = new Target(SyslogSettings.Default, GlobalSettings.DefaultHostname);

        // Wait mode so that TryWrite says "full" (DropWrite would drop silently, and drops must be counted).
        _queue = Channel.CreateBounded<VpnEventRecord>(new BoundedChannelOptions(queueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _source = source;
        if (source is not null)
        {
            source.Appended += Enqueue;
        }

        _sender = Task.Run(SendLoopAsync);
    }

    /// <summary>Records handed to the server's socket.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Records dropped because the queue was full (server slow, unreachable or in back-off).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Records given up on: a UDP send that failed, or queued records discarded by a configuration change.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>TCP connections (and UDP sockets) opened so far.</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>Why the last connect or send failed; null once one succeeds again.</summary>
    public string? LastError { get; private set; }

    public SyslogSettings Settings => _target.Settings;

    /// <summary>
    /// Takes the syslog settings and host name of a newly applied configuration. Cheap and non-blocking (it runs on the
    /// engine thread): the sender notices the change before its next record and interrupts any back-off wait.
    /// </summary>
    public void Configure(GatewayConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var next = new Target(configuration.Syslog, configuration.Global.Hostname);
        var previous = _target;
        if (previous.Settings.Equals(next.Settings) && previous.Hostname == next.Hostname)
        {
            return;
        }

        _target = next;
        previous.Changed.Cancel();
    }

    /// <summary>Queues a record for the server; never blocks. Does nothing while forwarding is off.</summary>
    public void Enqueue(VpnEventRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!_target.Settings.IsActive)
        {
            return;
        }

        if (!_queue.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    public void Dispose()
    {
        if (_source is not null)
        {
            _source.Appended -= Enqueue;
        }

        _queue.Writer.TryComplete();
        _stopping.Cancel();
        try
        {
            _sender.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends by cancellation; nothing else to report on shutdown.
        }

        CloseSocket();
        _stopping.Dispose();
    }

    private async Task SendLoopAsync()
    {
        var reader = _queue.Reader;
        var backoff = _firstBackoff;
        VpnEventRecord? pending = null;
        try
        {
            while (true)
            {
                if (pending is null)
                {
                    if (!await reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
                    {
                        return;
                    }

                    if (!reader.TryRead(out pending))
                    {
                        continue;
                    }
                }

                var target = _target;
                if (!target.Settings.IsActive)
                {
                    // Queued before forwarding was turned off.
                    Interlocked.Increment(ref _failed);
                    pending = null;
                    CloseSocket();
                    continue;
                }

                try
                {
                    await SendAsync(target, pending).ConfigureAwait(false);
                    Interlocked.Increment(ref _sent);
                    LastError = null;
                    pending = null;
                    backoff = _firstBackoff;
                }
                catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException && !_stopping.IsCancellationRequested)
                {
                    LastError = ex is OperationCanceledException ? $"connecting to {target.Settings.Server} timed out" : ex.Message;
                    CloseSocket();
                    if (target.Settings.Mode == SyslogMode.Udp)
                    {
                        // UDP promises nothing: an ICMP error costs this record only, no back-off.
                        Interlocked.Increment(ref _failed);
                        pending = null;
                        continue;
                    }

                    await WaitAsync(backoff, target.Changed.Token).ConfigureAwait(false);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _maxBackoff.Ticks));
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    private async Task SendAsync(Target target, VpnEventRecord record)
    {
        var settings = target.Settings;
        if (_socket is not null && (!settings.Equals(_connectedFor) || PeerClosed(_socket)))
        {
            CloseSocket();
        }

        if (_socket is null)
        {
            _socket = await ConnectAsync(settings, target.Changed.Token).ConfigureAwait(false);
            _connectedFor = settings;
            Interlocked.Increment(ref _connections);
        }

        var bytes = SyslogMessage.Frame(SyslogMessage.Format(record, settings.Format, settings.Facility, target.Hostname), settings.Mode);
        var offset = 0;
        while (offset < bytes.Length)
        {
            offset += await _socket.SendAsync(bytes.AsMemory(offset), SocketFlags.None, _stopping.Token).ConfigureAwait(false);
        }
    }

    private async Task<Socket> ConnectAsync(SyslogSettings settings, CancellationToken changed)
    {
        var address = await ResolveAsync(settings.Server!, changed).ConfigureAwait(false);
        var udp = settings.Mode == SyslogMode.Udp;
        var socket = new Socket(AddressFamily.InterNetwork, udp ? SocketType.Dgram : SocketType.Stream, udp ? ProtocolType.Udp : ProtocolType.Tcp);
        try
        {
            if (settings.SourceIp is { } source)
            {
                socket.Bind(new IPEndPoint(source, 0));
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(changed, _stopping.Token);
            timeout.CancelAfter(ConnectTimeout);
            await socket.ConnectAsync(new IPEndPoint(address, settings.Port), timeout.Token).ConfigureAwait(false);
            if (!udp)
            {
                socket.NoDelay = true;
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<IPAddress> ResolveAsync(string server, CancellationToken cancellation)
    {
        if (IPAddress.TryParse(server, out var literal) && literal.AddressFamily == AddressFamily.InterNetwork)
        {
            return literal;
        }

        var addresses = await Dns.GetHostAddressesAsync(server, AddressFamily.InterNetwork, cancellation).ConfigureAwait(false);
        return addresses.FirstOrDefault() ?? throw new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>A TCP server that closed its end shows as readable with nothing to read; reconnect before writing into the void.</summary>
    private static bool PeerClosed(Socket socket)
    {
        if (socket.SocketType != SocketType.Stream)
        {
            return false;
        }

        try
        {
            return socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken changed)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(changed, _stopping.Token);
        try
        {
            await Task.Delay(delay, _time, either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            // The configuration changed: try the new target at once.
        }
    }

    private void CloseSocket()
    {
        _socket?.Dispose();
        _socket = null;
        _connectedFor = null;
    }

    /// <summary>What to send to; <see cref="Changed"/> is cancelled when a newer target replaces it.</summary>
    private sealed class Target(SyslogSettings settings, string hostname)
    {
        public SyslogSettings Settings { get; } = settings;

        public string Hostname { get; } = hostname;

        public CancellationTokenSource Changed { get; } = new();
    }
}
