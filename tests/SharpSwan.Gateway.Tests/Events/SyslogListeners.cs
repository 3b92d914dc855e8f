using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SharpSwan.Gateway.Tests.Events;

/// <summary>A syslog server on the loopback: one UDP socket; every datagram is one message.</summary>
internal sealed class UdpSyslogListener : IDisposable
{
    private readonly UdpClient _client = new(new IPEndPoint(IPAddress.Loopback, 0));

    public int Port => ((IPEndPoint)_client.Client.LocalEndPoint!).Port;

    /// <summary>The next datagram; the generous limit only turns a hang into a failure.</summary>
    public async Task<string> ReceiveAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var result = await _client.ReceiveAsync(limit.Token);
        return Encoding.UTF8.GetString(result.Buffer);
    }

    /// <summary>Datagrams already waiting, without waiting for more.</summary>
    public int Waiting => _client.Available;

    public void Dispose() => _client.Dispose();
}

/// <summary>A syslog server on the loopback over TCP: accepts connections and keeps the bytes of the current one.</summary>
internal sealed class TcpSyslogListener : IDisposable
{
    private readonly TcpListener _listener;
    private TcpClient? _connection;
    private readonly List<byte> _buffer = [];

    public TcpSyslogListener(int port = 0)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Accepted { get; private set; }

    /// <summary>Reads until <paramref name="complete"/> finds a whole message in the bytes so far; returns it and keeps the rest.</summary>
    public async Task<string> ReceiveAsync(Func<List<byte>, int> complete, TimeSpan? limit = null)
    {
        using var cancel = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var length = complete(_buffer);
            if (length > 0)
            {
                var message = Encoding.UTF8.GetString([.. _buffer.Take(length)]);
                _buffer.RemoveRange(0, length);
                return message;
            }

            if (_connection is null)
            {
                _connection = await _listener.AcceptTcpClientAsync(cancel.Token);
                Accepted++;
            }

            var chunk = new byte[4096];
            var read = await _connection.GetStream().ReadAsync(chunk, cancel.Token);
            if (read == 0)
            {
                _connection.Dispose();
                _connection = null;
                continue;
            }

            _buffer.AddRange(chunk.AsSpan(0, read).ToArray());
        }
    }

    /// <summary>RFC 6587 octet counting: <c>LEN SP MSG</c>; the whole frame's length once all of it is there, else 0.</summary>
    public static int OctetCounted(List<byte> bytes)
    {
        var space = bytes.IndexOf((byte)' ');
        if (space <= 0)
        {
            return 0;
        }

        var length = int.Parse(Encoding.ASCII.GetString([.. bytes.Take(space)]), System.Globalization.CultureInfo.InvariantCulture);
        return bytes.Count >= space + 1 + length ? space + 1 + length : 0;
    }

    /// <summary>Newline framing: up to and including the newline.</summary>
    public static int NewlineEnded(List<byte> bytes) => bytes.IndexOf((byte)'\n') + 1;

    public void Dispose()
    {
        _connection?.Dispose();
        _listener.Stop();
        _listener.Dispose();
    }
}
