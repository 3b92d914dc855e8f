using System.Net.Sockets;
using System.Text;

namespace SharpSwan.Platform.Tests;

/// <summary>sd_notify over a datagram socket, as systemd provides one in NOTIFY_SOCKET for Type=notify units.</summary>
[Collection(EnvironmentCollection.Name)]
public sealed class SystemdNotifierTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sharpswan-notify-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Ready_Reloading_Stopping_ArriveOnTheNotifySocket()
    {
        using var listener = Listen(out var path);
        using (new EnvironmentScope(("NOTIFY_SOCKET", path), ("WATCHDOG_USEC", null), ("WATCHDOG_PID", null)))
        using (var notifier = SystemdNotifier.FromEnvironment())
        {
            Assert.True(notifier.IsEnabled);
            Assert.Null(notifier.WatchdogInterval);
            Assert.True(notifier.Ready("2 tunnels"));
            Assert.True(notifier.Reloading());
            Assert.True(notifier.Stopping());
        }

        var ready = Receive(listener);
        Assert.Contains("READY=1", ready.Split('\n'));
        Assert.Contains("STATUS=2 tunnels", ready.Split('\n'));
        Assert.Contains($"MAINPID={Environment.ProcessId}", ready.Split('\n'));
        var reloading = Receive(listener).Split('\n');
        Assert.Contains("RELOADING=1", reloading);
        Assert.Contains(reloading, line => line.StartsWith("MONOTONIC_USEC=", StringComparison.Ordinal));
        Assert.Equal("STOPPING=1", Receive(listener));
    }

    [Fact]
    public void Watchdog_PingsAtHalfTheInterval_OnlyWhileAlive()
    {
        using var listener = Listen(out var path);
        var alive = true;
        using (new EnvironmentScope(("NOTIFY_SOCKET", path), ("WATCHDOG_USEC", "200000"), ("WATCHDOG_PID", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))))
        using (var notifier = SystemdNotifier.FromEnvironment())
        {
            Assert.Equal(TimeSpan.FromMilliseconds(100), notifier.WatchdogInterval);
            notifier.StartWatchdog(() => Volatile.Read(ref alive));
            Assert.Equal("WATCHDOG=1", Receive(listener));
            Assert.Equal("WATCHDOG=1", Receive(listener));
            Volatile.Write(ref alive, false);
            DrainFor(listener, TimeSpan.FromMilliseconds(300));
            listener.ReceiveTimeout = 500;
            Assert.Throws<SocketException>(() => Receive(listener));
        }
    }

    [Fact]
    public void WithoutNotifySocket_NothingIsSent()
    {
        using (new EnvironmentScope(("NOTIFY_SOCKET", null), ("WATCHDOG_USEC", "1000000"), ("WATCHDOG_PID", "1")))
        using (var notifier = SystemdNotifier.FromEnvironment())
        {
            Assert.False(notifier.IsEnabled);
            Assert.Null(notifier.WatchdogInterval); // WATCHDOG_PID names another process
            Assert.False(notifier.Ready("x"));
        }
    }

    private Socket Listen(out string path)
    {
        path = Path.Combine(_directory, "notify.sock");
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.ReceiveTimeout = 5000;
        return socket;
    }

    private static string Receive(Socket socket)
    {
        var buffer = new byte[4096];
        var length = socket.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static void DrainFor(Socket socket, TimeSpan period)
    {
        var until = DateTime.UtcNow + period;
        socket.ReceiveTimeout = 50;
        var buffer = new byte[4096];
        while (DateTime.UtcNow < until)
        {
            try
            {
                socket.Receive(buffer);
            }
            catch (SocketException)
            {
                // Nothing arrived in this slice.
            }
        }
    }
}
