using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using SharpSwan.Platform.Interop;

namespace SharpSwan.Platform;

/// <summary>
/// The gateway's control socket: a Unix domain stream socket, mode 0600, serving clients concurrently. A client sends
/// ONE command line (UTF-8, ending in \n); the handler writes the response to the given writer (it may stream for as
/// long as it likes) and the server closes the connection when the handler returns. When the client hangs up, the
/// handler's token is cancelled; a client must therefore keep its sending side open while it waits for the answer.
/// </summary>
public sealed class ControlServer : IDisposable
{
    /// <summary>Longest command line accepted; anything longer is answered with an error.</summary>
    public const int MaxCommandBytes = 64 * 1024;

    /// <summary>The FortiOS-style last line that makes <see cref="ControlClient"/> return exit code 1.</summary>
    public const string FailurePrefix = "Command fail. Return code ";

    private const uint OwnerReadWrite = 0x180; // 0600
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly Socket _listener;
    private readonly Func<string, TextWriter, CancellationToken, Task> _handler;
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<Task> _clients = [];
    private readonly Lock _clientsLock = new();
    private Task _acceptLoop = Task.CompletedTask;
    private int _disposed;

    private ControlServer(string path, Socket listener, Func<string, TextWriter, CancellationToken, Task> handler)
    {
        Path = path;
        _listener = listener;
        _handler = handler;
    }

    /// <summary>The socket file's full path.</summary>
    public string Path { get; }

    /// <summary>
    /// Creates the parent directory if needed, replaces a stale socket file, binds, restricts the socket to its owner
    /// (0600) and starts accepting.
    /// </summary>
    /// <exception cref="IOException">Another server answers on <paramref name="path"/>, or the path is a directory.</exception>
    public static ControlServer Start(string path, Func<string, TextWriter, CancellationToken, Task> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(handler);

        string fullPath = System.IO.Path.GetFullPath(path);
        string? directory = System.IO.Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        if (Directory.Exists(fullPath))
        {
            throw new IOException($"{path} is a directory, not a control socket");
        }

        if (File.Exists(fullPath))
        {
            if (IsSomeoneListening(fullPath))
            {
                throw new IOException($"another gateway is listening on {path}");
            }

            // Left behind by a gateway that did not shut down cleanly.
            File.Delete(fullPath);
        }

        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            // On Linux the socket file takes its mode from the socket inode at bind time, so restricting the inode
            // first leaves no moment in which other users could connect. The chmod afterwards is the belt to these braces.
            LibC.ChangeModeOfDescriptor((int)listener.Handle, OwnerReadWrite);
            listener.Bind(new UnixDomainSocketEndPoint(fullPath));
            if (LibC.ChangeMode(fullPath, OwnerReadWrite) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                throw new IOException($"cannot restrict {path} to mode 0600: {LibC.ErrorText(errno)}");
            }

            listener.Listen(backlog: 32);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        var server = new ControlServer(fullPath, listener, handler);
        server._acceptLoop = Task.Run(server.AcceptLoopAsync);
        return server;
    }

    /// <summary>Stops accepting, cancels running handlers (waiting a few seconds for them) and deletes the socket file.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _listener.Dispose();

        Task[] pending;
        lock (_clientsLock)
        {
            pending = [.. _clients, _acceptLoop];
        }

        try
        {
            Task.WaitAll(pending, TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Handler failures were already reported to their clients.
        }

        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // Best effort: a stale file is replaced by the next Start anyway.
        }
    }

    private static bool IsSomeoneListening(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (!_stopping.IsCancellationRequested)
            {
                // A client that vanished between connect and accept; keep serving the others.
                continue;
            }
            catch (SocketException)
            {
                return;
            }

            Task serving = Task.Run(() => ServeClientAsync(client));
            lock (_clientsLock)
            {
                _clients.Add(serving);
            }

            _ = serving.ContinueWith(
                finished =>
                {
                    lock (_clientsLock)
                    {
                        _clients.Remove(finished);
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private async Task ServeClientAsync(Socket client)
    {
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        await using var stream = new NetworkStream(client, ownsSocket: true);
        await using var writer = new StreamWriter(stream, Utf8, bufferSize: 4096, leaveOpen: true) { AutoFlush = true, NewLine = "\n" };
        try
        {
            CommandLine? command = await ReadCommandLineAsync(stream, connection.Token).ConfigureAwait(false);
            if (command is null)
            {
                // A liveness probe (or a client that sent nothing): no command, no answer.
                return;
            }

            if (command.Value.TooLong)
            {
                await writer.WriteLineAsync($"command longer than {MaxCommandBytes} bytes").ConfigureAwait(false);
                await writer.WriteLineAsync(FailurePrefix + "-1").ConfigureAwait(false);
                return;
            }

            // A client that ended its command with EOF instead of \n has already half-closed: EOF means nothing then.
            Task watcher = command.Value.EndedWithNewline
                ? CancelWhenClientHangsUpAsync(stream, connection)
                : Task.CompletedTask;

            try
            {
                await _handler(command.Value.Text, writer, connection.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (connection.IsCancellationRequested)
            {
                // The client left or the server is stopping; nobody is waiting for a reply.
            }
            catch (IOException) when (connection.IsCancellationRequested || !client.Connected)
            {
                // Writing to a client that has gone away.
            }
            catch (Exception ex)
            {
                await TryReportFailureAsync(writer, ex).ConfigureAwait(false);
            }

            await writer.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            client.Shutdown(SocketShutdown.Both);
            connection.Cancel();
            await watcher.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection broke; there is no one to tell.
        }
    }

    private static async Task TryReportFailureAsync(TextWriter writer, Exception failure)
    {
        try
        {
            await writer.WriteLineAsync($"internal error: {failure.Message}").ConfigureAwait(false);
            await writer.WriteLineAsync(FailurePrefix + "-1").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The client is gone too.
        }
    }

    private static async Task CancelWhenClientHangsUpAsync(NetworkStream stream, CancellationTokenSource connection)
    {
        byte[] discard = new byte[256];
        try
        {
            while (await stream.ReadAsync(discard, connection.Token).ConfigureAwait(false) > 0)
            {
                // Clients send one line only; anything more is ignored.
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
            // Either way the conversation is over.
        }

        try
        {
            await connection.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The handler already finished and the source was released.
        }
    }

    private readonly record struct CommandLine(string Text, bool EndedWithNewline, bool TooLong);

    private static async Task<CommandLine?> ReadCommandLineAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[MaxCommandBytes + 1];
        int length = 0;
        while (length < buffer.Length)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return length == 0 ? null : new CommandLine(Decode(buffer.AsSpan(0, length)), EndedWithNewline: false, TooLong: false);
            }

            int newline = buffer.AsSpan(length, read).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                return new CommandLine(Decode(buffer.AsSpan(0, length + newline)), EndedWithNewline: true, TooLong: false);
            }

            length += read;
        }

        return new CommandLine("", EndedWithNewline: true, TooLong: true);
    }

    private static string Decode(ReadOnlySpan<byte> line) => Utf8.GetString(line).TrimEnd('\r');
}
