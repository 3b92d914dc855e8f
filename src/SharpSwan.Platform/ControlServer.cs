using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;
using SharpSwan.Platform.Interop;

namespace SharpSwan.Platform;

/// <summary>
/// The gateway's control socket: a Unix domain stream socket, mode 0600, serving clients concurrently. Each connection
/// gets its own <see cref="IControlSession"/>. A plain client sends ONE command line (UTF-8, ending in \n); the session
/// writes the response (it may stream for as long as it likes) and the server closes the connection when it is done.
/// A client that opens with <see cref="ControlProtocol.SessionHello"/> keeps the connection for many commands, with
/// completion, help and Ctrl-C (see <see cref="ControlProtocol"/>). When the client hangs up, the running command's
/// token is cancelled; a client must therefore keep its sending side open while it waits for an answer.
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
    private readonly Func<ControlPeer, IControlSession> _openSession;
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<Task> _clients = [];
    private readonly Lock _clientsLock = new();
    private Task _acceptLoop = Task.CompletedTask;
    private int _disposed;

    private ControlServer(string path, Socket listener, Func<ControlPeer, IControlSession> openSession)
    {
        Path = path;
        _listener = listener;
        _openSession = openSession;
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
        ArgumentNullException.ThrowIfNull(handler);
        return Start(path, () => new StatelessSession(handler));
    }

    /// <summary>As <see cref="Start(string, Func{string, TextWriter, CancellationToken, Task})"/>, with one session per connection.</summary>
    /// <exception cref="IOException">Another server answers on <paramref name="path"/>, or the path is a directory.</exception>
    public static ControlServer Start(string path, Func<IControlSession> openSession)
    {
        ArgumentNullException.ThrowIfNull(openSession);
        return Start(path, _ => openSession());
    }

    /// <summary>As <see cref="Start(string, Func{IControlSession})"/>; each session learns who connected (SO_PEERCRED).</summary>
    /// <exception cref="IOException">Another server answers on <paramref name="path"/>, or the path is a directory.</exception>
    public static ControlServer Start(string path, Func<ControlPeer, IControlSession> openSession)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(openSession);

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

        var server = new ControlServer(fullPath, listener, openSession);
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
        var reader = new ControlLineReader(stream, MaxCommandBytes);
        try
        {
            ControlLine? first = await reader.ReadLineAsync(connection.Token).ConfigureAwait(false);
            if (first is null)
            {
                // A liveness probe (or a client that sent nothing): no command, no answer.
                return;
            }

            if (first.Value.Text == ControlProtocol.SessionHello)
            {
                await ServeSessionAsync(reader, writer, ControlPeer.Of(client), connection).ConfigureAwait(false);
            }
            else
            {
                await ServeOneCommandAsync(first.Value, reader, writer, client, connection).ConfigureAwait(false);
            }

            await writer.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            client.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection broke; there is no one to tell.
        }
    }

    /// <summary>The original protocol: one command, the answer, then the server closes.</summary>
    private async Task ServeOneCommandAsync(ControlLine command, ControlLineReader reader, StreamWriter writer, Socket client, CancellationTokenSource connection)
    {
        if (command.TooLong)
        {
            await writer.WriteLineAsync($"command longer than {MaxCommandBytes} bytes").ConfigureAwait(false);
            await writer.WriteLineAsync(FailurePrefix + "-1").ConfigureAwait(false);
            return;
        }

        // A client that ended its command with EOF instead of \n has already half-closed: EOF means nothing then.
        Task watcher = command.EndedWithNewline
            ? CancelWhenClientHangsUpAsync(reader, connection)
            : Task.CompletedTask;

        await RunCommandAsync(_openSession(ControlPeer.Of(client)), command.Text, json: false, writer, connection.Token, client).ConfigureAwait(false);
        await writer.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        await connection.CancelAsync().ConfigureAwait(false);
        await watcher.ConfigureAwait(false);
    }

    /// <summary>
    /// Session mode: requests in order, each answered and closed by an end-of-response line. A reader task takes
    /// Ctrl-C and hang-up off the wire while a command runs.
    /// </summary>
    private async Task ServeSessionAsync(ControlLineReader reader, StreamWriter writer, ControlPeer peer, CancellationTokenSource connection)
    {
        var session = _openSession(peer);
        var requests = Channel.CreateUnbounded<ControlLine>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var running = new RunningCommand();
        Task pump = PumpRequestsAsync(reader, requests.Writer, running, connection);
        try
        {
            await writer.WriteLineAsync(ControlProtocol.FormatEnd(0, session.Prompt)).ConfigureAwait(false);
            await foreach (var request in requests.Reader.ReadAllAsync(connection.Token).ConfigureAwait(false))
            {
                var status = 0;
                var text = request.Text;
                if (request.TooLong)
                {
                    await writer.WriteLineAsync($"command longer than {MaxCommandBytes} bytes").ConfigureAwait(false);
                    status = -1;
                    await writer.WriteLineAsync(FailurePrefix + "-1").ConfigureAwait(false);
                }
                else if (text.Length > 0 && text[0] == ControlProtocol.CompleteRequest)
                {
                    foreach (var candidate in session.Complete(text[1..]))
                    {
                        await writer.WriteLineAsync(candidate).ConfigureAwait(false);
                    }
                }
                else if (text.Length > 0 && text[0] == ControlProtocol.HelpRequest)
                {
                    var help = session.Help(text[1..]);
                    await writer.WriteAsync(help.Length == 0 || help.EndsWith('\n') ? help : help + "\n").ConfigureAwait(false);
                }
                else
                {
                    using var command = CancellationTokenSource.CreateLinkedTokenSource(connection.Token);
                    running.Set(command);
                    try
                    {
                        var json = text.Length > 0 && text[0] == ControlProtocol.JsonRequest;
                        status = await RunCommandAsync(session, json ? text[1..] : text, json, writer, command.Token, client: null).ConfigureAwait(false);
                    }
                    finally
                    {
                        running.Clear();
                    }

                    if (connection.IsCancellationRequested)
                    {
                        break;
                    }
                }

                await writer.WriteLineAsync(ControlProtocol.FormatEnd(status, session.Prompt)).ConfigureAwait(false);
            }
        }
        finally
        {
            await connection.CancelAsync().ConfigureAwait(false);
            await pump.ConfigureAwait(false);
        }
    }

    private static async Task PumpRequestsAsync(ControlLineReader reader, ChannelWriter<ControlLine> requests, RunningCommand running, CancellationTokenSource connection)
    {
        try
        {
            while (await reader.ReadLineAsync(connection.Token).ConfigureAwait(false) is { } line)
            {
                // Ctrl-C is never a request of its own: it stops the running command, or the one already queued, and is
                // not answered. A Ctrl-C that arrives after its command ended (pressed as it finished) is dropped; an
                // answer to it would be read as the end of the client's next command.
                if (line.Text == ControlProtocol.Interrupt)
                {
                    running.Interrupt();
                    continue;
                }

                if (IsCommand(line))
                {
                    running.Queued();
                }

                requests.TryWrite(line);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
            // Either way the conversation is over.
        }

        requests.TryComplete();
        try
        {
            // Hang-up: stop whatever runs, nobody reads its answer.
            await connection.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The connection was already released.
        }
    }

    /// <summary>Runs one command; returns its status. Failures are reported to the client, cancellation is silent.</summary>
    private static async Task<int> RunCommandAsync(IControlSession session, string command, bool json, StreamWriter writer, CancellationToken cancellation, Socket? client)
    {
        var response = new ResponseWriter(writer);
        try
        {
            await (json ? session.ExecuteJsonAsync(command, response, cancellation) : session.ExecuteAsync(command, response, cancellation)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Ctrl-C, the client left, or the server is stopping.
        }
        catch (IOException) when (cancellation.IsCancellationRequested || client is { Connected: false })
        {
            // Writing to a client that has gone away.
        }
        catch (Exception ex)
        {
            await TryReportFailureAsync(response, ex).ConfigureAwait(false);
        }

        return response.Status;
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

    private static async Task CancelWhenClientHangsUpAsync(ControlLineReader reader, CancellationTokenSource connection)
    {
        try
        {
            while (await reader.ReadLineAsync(connection.Token).ConfigureAwait(false) is not null)
            {
                // One-command clients send one line only; anything more is ignored.
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

    /// <summary>The command a session is running, so Ctrl-C from the reader task can cancel it.</summary>
    /// <summary>Whether the session loop will run <paramref name="line"/> as a command (not completion, help or refused).</summary>
    private static bool IsCommand(ControlLine line) =>
        !line.TooLong && !(line.Text.Length > 0 && line.Text[0] is ControlProtocol.CompleteRequest or ControlProtocol.HelpRequest);

    private sealed class RunningCommand
    {
        private readonly Lock _lock = new();
        private CancellationTokenSource? _current;
        private int _queued;
        private bool _interruptQueued;

        /// <summary>A command line was handed to the session loop and has not started yet.</summary>
        public void Queued()
        {
            lock (_lock)
            {
                _queued++;
            }
        }

        public void Set(CancellationTokenSource command)
        {
            lock (_lock)
            {
                _queued = Math.Max(0, _queued - 1);
                _current = command;
                if (_interruptQueued)
                {
                    // Ctrl-C came while this command waited its turn: it was meant for it.
                    _interruptQueued = false;
                    command.Cancel();
                }
            }
        }

        public void Clear()
        {
            lock (_lock)
            {
                _current = null;
            }
        }

        /// <summary>Cancels the running command, or the next queued one; with neither, the Ctrl-C came too late and is dropped.</summary>
        public void Interrupt()
        {
            lock (_lock)
            {
                if (_current is not null)
                {
                    _current.Cancel();
                }
                else if (_queued > 0)
                {
                    _interruptQueued = true;
                }
            }
        }
    }

    /// <summary>A plain handler as a session: no state, a fixed prompt, no completion.</summary>
    private sealed class StatelessSession(Func<string, TextWriter, CancellationToken, Task> handler) : IControlSession
    {
        public string Prompt => "sharpswan # ";

        public Task ExecuteAsync(string command, TextWriter output, CancellationToken cancellation) => handler(command, output, cancellation);

        public async Task ExecuteJsonAsync(string command, TextWriter output, CancellationToken cancellation)
        {
            await output.WriteLineAsync("this control socket has no JSON answers").ConfigureAwait(false);
            await output.WriteLineAsync(FailurePrefix + "-1").ConfigureAwait(false);
        }

        public IReadOnlyList<string> Complete(string partialLine) => [];

        public string Help(string partialLine) => "";
    }
}
