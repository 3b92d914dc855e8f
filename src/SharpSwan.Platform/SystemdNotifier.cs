using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace SharpSwan.Platform;

/// <summary>
/// sd_notify(3) over <c>$NOTIFY_SOCKET</c>: READY=1 once tunnels and sockets are set up (Type=notify), RELOADING=1
/// around a SIGHUP reload, STOPPING=1 on shutdown, and WATCHDOG=1 at half of <c>$WATCHDOG_USEC</c> while the engine
/// thread answers. Without the variable (not started by systemd) every call does nothing.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endPoint;
    private Timer? _watchdog;

    private SystemdNotifier(string? socketPath, TimeSpan? watchdogInterval)
    {
        WatchdogInterval = watchdogInterval;
        if (string.IsNullOrEmpty(socketPath))
        {
            return;
        }

        // A leading '@' names a socket in the abstract namespace, which .NET spells with a leading NUL.
        _endPoint = new UnixDomainSocketEndPoint(socketPath[0] == '@' ? "\0" + socketPath[1..] : socketPath);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    /// <summary>True when a service manager listens.</summary>
    public bool IsEnabled => _socket is not null;

    /// <summary>Half of <c>WatchdogSec=</c> when the watchdog is on for this process, else null.</summary>
    public TimeSpan? WatchdogInterval { get; }

    /// <summary>Reads <c>NOTIFY_SOCKET</c>, <c>WATCHDOG_USEC</c> and <c>WATCHDOG_PID</c> from the environment.</summary>
    public static SystemdNotifier FromEnvironment()
    {
        var socket = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        TimeSpan? interval = null;
        var watchdogPid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        var pidMatches = string.IsNullOrEmpty(watchdogPid) || watchdogPid == Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        if (pidMatches
            && ulong.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var usec)
            && usec > 0)
        {
            interval = TimeSpan.FromMicroseconds(usec / 2);
        }

        return new SystemdNotifier(socket, interval);
    }

    /// <summary>Sends one notification (newline-separated assignments); false when it could not be delivered.</summary>
    public bool Notify(string state)
    {
        if (_socket is null || _endPoint is null)
        {
            return false;
        }

        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(state), _endPoint);
            return true;
        }
        catch (SocketException)
        {
            // The manager went away; the gateway keeps running without it.
            return false;
        }
    }

    public bool Ready(string status) => Notify($"READY=1\nSTATUS={status}\nMAINPID={Environment.ProcessId}");

    /// <summary>RELOADING=1 with the monotonic time systemd 253+ expects alongside it.</summary>
    public bool Reloading() =>
        Notify($"RELOADING=1\nMONOTONIC_USEC={MonotonicMicroseconds().ToString(CultureInfo.InvariantCulture)}");

    public bool Stopping() => Notify("STOPPING=1");

    /// <summary>Sends WATCHDOG=1 every <see cref="WatchdogInterval"/> while <paramref name="alive"/> says the gateway works.</summary>
    public void StartWatchdog(Func<bool> alive)
    {
        ArgumentNullException.ThrowIfNull(alive);
        if (WatchdogInterval is not { } interval || _socket is null)
        {
            return;
        }

        _watchdog = new Timer(_ =>
        {
            // A hung engine thread stops the pings, so systemd restarts the service (Restart=on-failure).
            if (alive())
            {
                Notify("WATCHDOG=1");
            }
        }, null, TimeSpan.Zero, interval);
    }

    public void Dispose()
    {
        _watchdog?.Dispose();
        _socket?.Dispose();
    }

    private static long MonotonicMicroseconds() => System.Diagnostics.Stopwatch.GetTimestamp() / (System.Diagnostics.Stopwatch.Frequency / 1_000_000);
}
