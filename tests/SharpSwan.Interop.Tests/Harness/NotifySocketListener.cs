using System.Net.Sockets;
using System.Text;

namespace SharpSwan.Interop.Tests.Harness;

/// <summary>The service manager's side of sd_notify: a datagram socket a process finds in NOTIFY_SOCKET.</summary>
public sealed class NotifySocketListener : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly List<string> _received = [];

    public NotifySocketListener(string path)
    {
        Path = path;
        _socket.Bind(new UnixDomainSocketEndPoint(path));
    }

    public string Path { get; }

    /// <summary>Every notification so far, in order.</summary>
    public IReadOnlyList<string> Received => _received;

    /// <summary>Reads notifications until one holds the assignment <paramref name="line"/> (e.g. READY=1).</summary>
    public bool WaitFor(string line, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var buffer = new byte[4096];
        while (DateTime.UtcNow < deadline)
        {
            _socket.ReceiveTimeout = (int)Math.Max(1, (deadline - DateTime.UtcNow).TotalMilliseconds);
            try
            {
                var length = _socket.Receive(buffer);
                var message = Encoding.UTF8.GetString(buffer, 0, length);
                _received.Add(message);
                if (message.Split('\n').Contains(line))
                {
                    return true;
                }
            }
            catch (SocketException)
            {
                return false;
            }
        }

        return false;
    }

    public void Dispose() => _socket.Dispose();
}
