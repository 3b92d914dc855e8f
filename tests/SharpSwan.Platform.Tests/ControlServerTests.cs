using System.Net.Sockets;
using System.Runtime.Versioning;

namespace SharpSwan.Platform.Tests;

[SupportedOSPlatform("linux")]
public sealed class ControlServerTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sst-ctl-" + Guid.NewGuid().ToString("N")[..12]);

    // A subdirectory that does not exist yet, so Start has to create it.
    private string SocketPath => Path.Combine(_directory, "run", "gw.sock");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task RoundTrip_HandlerSeesTheCommandAndTheClientGetsTheAnswer()
    {
        string? seen = null;
        using ControlServer server = ControlServer.Start(SocketPath, async (command, writer, _) =>
        {
            seen = command;
            await writer.WriteLineAsync("Version: SharpSwan");
            await writer.WriteLineAsync("résumé ✓");
        });
        var output = new StringWriter();

        int exitCode = await ControlClient.SendAsync(SocketPath, "get system status", output, CancellationToken.None);

        Assert.Equal(0, exitCode);
        Assert.Equal("get system status", seen);
        Assert.Equal("Version: SharpSwan\nrésumé ✓\n", output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task FortiOsFailureLastLine_GivesExitCodeOne()
    {
        using ControlServer server = ControlServer.Start(SocketPath, async (_, writer, _) =>
        {
            await writer.WriteLineAsync("entry not found in datasource");
            await writer.WriteLineAsync("Command fail. Return code -3");
        });
        var output = new StringWriter();

        int exitCode = await ControlClient.SendAsync(SocketPath, "edit nothing", output, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.EndsWith("Command fail. Return code -3", output.ToString().TrimEnd());
    }

    [Fact]
    public async Task FailureTextNotOnTheLastLine_IsStillSuccess()
    {
        using ControlServer server = ControlServer.Start(SocketPath, async (_, writer, _) =>
        {
            await writer.WriteLineAsync("Command fail. Return code -3");
            await writer.WriteLineAsync("recovered");
        });

        int exitCode = await ControlClient.SendAsync(SocketPath, "x", new StringWriter(), CancellationToken.None);

        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task HandlerThrows_ClientGetsTheErrorAndExitCodeOne()
    {
        using ControlServer server = ControlServer.Start(SocketPath, (_, _, _) => throw new InvalidOperationException("boom"));
        var output = new StringWriter();

        int exitCode = await ControlClient.SendAsync(SocketPath, "explode", output, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Contains("boom", output.ToString());
    }

    [Fact]
    public async Task LongRunningCommand_StreamsLinesBeforeTheHandlerFinishes()
    {
        var firstLineArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using ControlServer server = ControlServer.Start(SocketPath, async (_, writer, ct) =>
        {
            await writer.WriteLineAsync("packet 1");

            // The handler only continues once the client has printed line 1, which proves it was not buffered.
            await firstLineArrived.Task.WaitAsync(ct);
            await writer.WriteLineAsync("packet 2");
        });
        var output = new SignallingWriter(line =>
        {
            if (line == "packet 1")
            {
                firstLineArrived.TrySetResult();
            }
        });

        int exitCode = await ControlClient.SendAsync(SocketPath, "diagnose sniffer packet any", output, CancellationToken.None).WaitAsync(Patience);

        Assert.Equal(0, exitCode);
        Assert.Equal(["packet 1", "packet 2"], output.Lines);
    }

    [Fact]
    public async Task ClientsAreServedConcurrently()
    {
        int inside = 0;
        var bothInside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using ControlServer server = ControlServer.Start(SocketPath, async (command, writer, ct) =>
        {
            if (Interlocked.Increment(ref inside) == 2)
            {
                bothInside.TrySetResult();
            }

            // Neither handler can finish until both are running at the same time.
            await bothInside.Task.WaitAsync(ct);
            await writer.WriteLineAsync("done " + command);
        });
        var first = new StringWriter();
        var second = new StringWriter();

        int[] exitCodes = await Task.WhenAll(
            ControlClient.SendAsync(SocketPath, "one", first, CancellationToken.None),
            ControlClient.SendAsync(SocketPath, "two", second, CancellationToken.None)).WaitAsync(Patience);

        Assert.Equal([0, 0], exitCodes);
        Assert.Equal("done one", first.ToString().Trim());
        Assert.Equal("done two", second.ToString().Trim());
    }

    [Fact]
    public async Task ClientHangsUp_HandlerTokenIsCancelled()
    {
        var handlerStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handlerCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using ControlServer server = ControlServer.Start(SocketPath, async (_, writer, ct) =>
        {
            await writer.WriteLineAsync("watching");
            handlerStarted.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                handlerCancelled.TrySetResult();
                throw;
            }
        });
        using var clientCancellation = new CancellationTokenSource();
        Task<int> client = ControlClient.SendAsync(SocketPath, "diagnose debug", new StringWriter(), clientCancellation.Token);
        await handlerStarted.Task.WaitAsync(Patience);

        clientCancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client);
        await handlerCancelled.Task.WaitAsync(Patience);
        Assert.True(handlerCancelled.Task.IsCompletedSuccessfully);
    }

    [Fact]
    public void SocketFile_IsOwnerOnly()
    {
        using ControlServer server = ControlServer.Start(SocketPath, (_, _, _) => Task.CompletedTask);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SocketPath));
        Assert.Equal(Path.GetFullPath(SocketPath), server.Path);
    }

    [Fact]
    public async Task StaleSocketFile_IsReplaced()
    {
        StaleSocketFile.Create(SocketPath);
        Assert.True(File.Exists(SocketPath));

        using ControlServer server = ControlServer.Start(SocketPath, (_, writer, _) => writer.WriteLineAsync("fresh"));
        var output = new StringWriter();
        int exitCode = await ControlClient.SendAsync(SocketPath, "ping", output, CancellationToken.None);

        Assert.Equal(0, exitCode);
        Assert.Equal("fresh", output.ToString().Trim());
    }

    [Fact]
    public async Task SecondServerOnALiveSocket_IsRefusedAndTheFirstKeepsWorking()
    {
        using ControlServer first = ControlServer.Start(SocketPath, (_, writer, _) => writer.WriteLineAsync("first"));

        var error = Assert.Throws<IOException>(() => ControlServer.Start(SocketPath, (_, _, _) => Task.CompletedTask));

        Assert.Equal($"another gateway is listening on {SocketPath}", error.Message);
        var output = new StringWriter();
        Assert.Equal(0, await ControlClient.SendAsync(SocketPath, "ping", output, CancellationToken.None));
        Assert.Equal("first", output.ToString().Trim());
    }

    [Fact]
    public void Dispose_DeletesTheSocketFile()
    {
        ControlServer server = ControlServer.Start(SocketPath, (_, _, _) => Task.CompletedTask);
        Assert.True(File.Exists(SocketPath));

        server.Dispose();

        Assert.False(File.Exists(SocketPath));
    }

    [Fact]
    public async Task MissingSocket_ClientExplainsAndReturnsTwo()
    {
        var output = new StringWriter();

        int exitCode = await ControlClient.SendAsync(SocketPath, "get system status", output, CancellationToken.None);

        Assert.Equal(2, exitCode);
        Assert.Equal(
            $"cannot connect to {SocketPath}: is the gateway running? (start it with ./sharpswan run --config <file>)",
            output.ToString().Trim());
    }

    [Fact]
    public async Task StaleSocketWithNoServer_ClientReturnsTwo()
    {
        StaleSocketFile.Create(SocketPath);

        var output = new StringWriter();
        int exitCode = await ControlClient.SendAsync(SocketPath, "ping", output, CancellationToken.None);

        Assert.Equal(2, exitCode);
        Assert.Contains("is the gateway running?", output.ToString());
    }

    [Fact]
    public async Task CommandEndedByEofInsteadOfNewline_IsStillExecuted()
    {
        using ControlServer server = ControlServer.Start(SocketPath, (command, writer, _) => writer.WriteLineAsync("got " + command));
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));

        using var reader = new StreamReader(new NetworkStream(socket));

        await socket.SendAsync("show\r"u8.ToArray());
        socket.Shutdown(SocketShutdown.Send);
        string answer = await reader.ReadToEndAsync().WaitAsync(Patience);

        Assert.Equal("got show\n", answer);
    }

    [Fact]
    public async Task MultiLineCommand_IsRejectedByTheClient()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => ControlClient.SendAsync(SocketPath, "a\nb", new StringWriter(), CancellationToken.None));
    }

    [Theory]
    [InlineData("Command fail. Return code -61", true)]
    [InlineData("Command fail. Return code 5 ", true)]
    [InlineData("Command fail. Return code", false)]
    [InlineData("Command fail. Return code abc", false)]
    [InlineData("ok", false)]
    [InlineData(null, false)]
    public void IsFailureLine_RecognisesTheFortiOsFailureLine(string? line, bool expected)
    {
        Assert.Equal(expected, ControlClient.IsFailureLine(line));
    }

    /// <summary>Collects lines as the client writes them and reports each one as it arrives.</summary>
    private sealed class SignallingWriter(Action<string> onLine) : TextWriter
    {
        private readonly List<string> _lines = [];

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public IReadOnlyList<string> Lines => _lines;

        public override void WriteLine(string? value)
        {
            _lines.Add(value ?? "");
            onLine(value ?? "");
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }
    }
}
