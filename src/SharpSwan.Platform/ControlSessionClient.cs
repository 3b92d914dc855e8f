using System.Net.Sockets;
using System.Text;

namespace SharpSwan.Platform;

/// <summary>
/// The CLI side of a session-mode control connection (<see cref="ControlProtocol"/>): one connection, many commands,
/// one gateway-side session (so <c>config</c> context and debug settings carry from one command to the next).
/// </summary>
public sealed class ControlSessionClient : IAsyncDisposable, IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;
    private readonly SemaphoreSlim _sending = new(1, 1);

    private ControlSessionClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _reader = new StreamReader(_stream, Utf8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
    }

    /// <summary>The gateway's prompt for the next command.</summary>
    public string Prompt { get; private set; } = "";

    /// <summary>
    /// Connects and opens a session. Null when no gateway answers; the reason (what to do about it) is written to
    /// <paramref name="errors"/>.
    /// </summary>
    public static async Task<ControlSessionClient?> ConnectAsync(string path, TextWriter errors, CancellationToken cancellation)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(errors);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellation).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            await errors.WriteLineAsync(ControlClient.ConnectFailure(path, ex)).ConfigureAwait(false);
            return null;
        }

        var client = new ControlSessionClient(socket);
        try
        {
            await client.SendAsync(ControlProtocol.SessionHello, cancellation).ConfigureAwait(false);
            await client.ReadResponseAsync(TextWriter.Null, cancellation).ConfigureAwait(false);
            return client;
        }
        catch (IOException ex)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            await errors.WriteLineAsync($"the gateway at {path} did not open a session: {ex.Message}").ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>
    /// Runs one command, copying its answer line by line to <paramref name="output"/> as it arrives. Cancelling
    /// <paramref name="interrupt"/> sends Ctrl-C: the gateway stops the command and the call returns normally.
    /// </summary>
    /// <param name="json">Asks for the answer in JSON (the REST monitor's shape), as <c>sharpswan cli --json</c> does.</param>
    /// <returns>0, or the FortiOS return code of a failed command.</returns>
    /// <exception cref="IOException">The gateway closed the connection.</exception>
    public async Task<int> ExecuteAsync(string command, TextWriter output, CancellationToken interrupt, bool json = false)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(output);
        if (command.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("A control command is a single line.", nameof(command));
        }

        // Leading blanks and control characters mean nothing to the CLI but would look like protocol requests.
        command = command.TrimStart().TrimStart(ControlProtocol.CompleteRequest, ControlProtocol.HelpRequest, ControlProtocol.JsonRequest, '\u0001', '\u0003');
        await SendAsync(json ? ControlProtocol.JsonRequest + command : command, CancellationToken.None).ConfigureAwait(false);
        using var registration = interrupt.Register(() => _ = SendQuietlyAsync(ControlProtocol.Interrupt));
        return await ReadResponseAsync(output, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Candidates for the last word of <paramref name="partialLine"/> (Tab).</summary>
    public async Task<IReadOnlyList<string>> CompleteAsync(string partialLine, CancellationToken cancellation)
    {
        var lines = new StringWriter { NewLine = "\n" };
        await SendAsync(ControlProtocol.CompleteRequest + OneLine(partialLine), cancellation).ConfigureAwait(false);
        await ReadResponseAsync(lines, cancellation).ConfigureAwait(false);
        return [.. lines.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>FortiOS <c>?</c>: what may follow <paramref name="partialLine"/>.</summary>
    public async Task<string> HelpAsync(string partialLine, CancellationToken cancellation)
    {
        var text = new StringWriter { NewLine = "\n" };
        await SendAsync(ControlProtocol.HelpRequest + OneLine(partialLine), cancellation).ConfigureAwait(false);
        await ReadResponseAsync(text, cancellation).ConfigureAwait(false);
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
        _sending.Dispose();
    }

    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
        _socket.Dispose();
        _sending.Dispose();
    }

    private static string OneLine(string text) => text.Replace('\n', ' ').Replace('\r', ' ');

    private async Task<int> ReadResponseAsync(TextWriter output, CancellationToken cancellation)
    {
        while (true)
        {
            var line = await _reader.ReadLineAsync(cancellation).ConfigureAwait(false)
                ?? throw new IOException("the gateway closed the connection");
            if (ControlProtocol.TryParseEnd(line, out var status, out var prompt))
            {
                Prompt = prompt;
                return status;
            }

            await output.WriteLineAsync(line).ConfigureAwait(false);
            await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task SendAsync(string line, CancellationToken cancellation)
    {
        await _sending.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(Utf8.GetBytes(line + "\n"), cancellation).ConfigureAwait(false);
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task SendQuietlyAsync(string line)
    {
        try
        {
            await SendAsync(line, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            // The connection is gone; the reader will say so.
        }
    }
}
