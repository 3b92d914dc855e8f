using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;

namespace SharpSwan.Platform.Tests;

/// <summary>The control socket's session mode: many commands per connection, statuses, prompts, completion, help, Ctrl-C.</summary>
[SupportedOSPlatform("linux")]
public sealed class ControlSessionTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sst-ses-" + Guid.NewGuid().ToString("N")[..12]);

    private string SocketPath => Path.Combine(_directory, "gw.sock");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task CommandsOnOneConnection_ShareOneSession_AndThePromptFollows()
    {
        var opened = 0;
        using var server = ControlServer.Start(SocketPath, () =>
        {
            Interlocked.Increment(ref opened);
            return new ScriptedSession();
        });
        await using var client = await Connect();
        Assert.Equal("gw # ", client.Prompt);

        var output = new StringWriter { NewLine = "\n" };
        Assert.Equal(0, await client.ExecuteAsync("enter lab", output, CancellationToken.None));
        Assert.Equal("gw (lab) # ", client.Prompt);
        Assert.Equal(0, await client.ExecuteAsync("count", output, CancellationToken.None));
        Assert.Equal(0, await client.ExecuteAsync("count", output, CancellationToken.None));
        Assert.Equal("entered lab\ncount 1\ncount 2\n", output.ToString());
        Assert.Equal(1, opened);
    }

    [Fact]
    public async Task FailingCommand_ReturnsItsFortiOsReturnCode_AndTheSessionGoesOn()
    {
        using var server = ControlServer.Start(SocketPath, () => new ScriptedSession());
        await using var client = await Connect();
        var output = new StringWriter { NewLine = "\n" };

        Assert.Equal(-61, await client.ExecuteAsync("fail -61", output, CancellationToken.None));
        Assert.Equal(-1, await client.ExecuteAsync("throw", output, CancellationToken.None));
        Assert.Equal(0, await client.ExecuteAsync("count", output, CancellationToken.None));
        Assert.Contains("command parse error before 'x'\nCommand fail. Return code -61\n", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("internal error: scripted failure\n", output.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("count 1\n", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompletionAndHelp_AreAnsweredOnTheSameConnection()
    {
        using var server = ControlServer.Start(SocketPath, () => new ScriptedSession());
        await using var client = await Connect();

        Assert.Equal(["config", "count"], await client.CompleteAsync("co", CancellationToken.None));
        Assert.Equal("config    configure\ncount     count\n", await client.HelpAsync("co", CancellationToken.None));
        Assert.Empty(await client.CompleteAsync("zz", CancellationToken.None));
    }

    [Fact]
    public async Task Interrupt_StopsAStreamingCommand_AndTheConnectionStaysUsable()
    {
        var session = new ScriptedSession();
        using var server = ControlServer.Start(SocketPath, () => session);
        await using var client = await Connect();
        using var ctrlC = new CancellationTokenSource();
        var output = new LineWriter(line =>
        {
            if (line == "packet 1")
            {
                ctrlC.Cancel();
            }
        });

        var status = await client.ExecuteAsync("stream", output, ctrlC.Token).WaitAsync(Patience);

        Assert.Equal(0, status);
        Assert.True(session.StreamWasCancelled);
        Assert.Equal("packet 1", output.Lines[0]);
        Assert.Contains("2 packets received by filter", output.Lines);
        var after = new StringWriter { NewLine = "\n" };
        Assert.Equal(0, await client.ExecuteAsync("count", after, CancellationToken.None).WaitAsync(Patience));
        Assert.Equal("count 1\n", after.ToString());
    }

    [Fact]
    public async Task HangingUp_CancelsTheRunningCommand()
    {
        var session = new ScriptedSession();
        using var server = ControlServer.Start(SocketPath, () => session);
        var client = await Connect();
        var output = new LineWriter(line =>
        {
            if (line == "packet 1")
            {
                client.Dispose();
            }
        });

        await Assert.ThrowsAnyAsync<Exception>(() => client.ExecuteAsync("stream", output, CancellationToken.None).WaitAsync(Patience));
        await session.StreamEnded.Task.WaitAsync(Patience);
        Assert.True(session.StreamWasCancelled);
    }

    [Fact]
    public async Task OutputCannotFakeTheEndOfResponse()
    {
        using var server = ControlServer.Start(SocketPath, () => new ScriptedSession());
        await using var client = await Connect();
        var output = new StringWriter { NewLine = "\n" };

        var status = await client.ExecuteAsync("fake-end", output, CancellationToken.None);

        Assert.Equal(0, status);
        Assert.Equal("?-61 evil # \nafter\n", output.ToString());
        Assert.Equal("gw # ", client.Prompt);
    }

    [Fact]
    public async Task OverLongLine_IsRefused_AndTheSessionGoesOn()
    {
        using var server = ControlServer.Start(SocketPath, () => new ScriptedSession());
        await using var client = await Connect();
        var output = new StringWriter { NewLine = "\n" };

        Assert.Equal(-1, await client.ExecuteAsync(new string('x', ControlServer.MaxCommandBytes + 10), output, CancellationToken.None));
        Assert.Equal(0, await client.ExecuteAsync("count", output, CancellationToken.None));
        Assert.StartsWith($"command longer than {ControlServer.MaxCommandBytes} bytes\n", output.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("count 1\n", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneCommandClients_StillWorkAgainstASessionServer()
    {
        using var server = ControlServer.Start(SocketPath, () => new ScriptedSession());
        var output = new StringWriter { NewLine = "\n" };

        Assert.Equal(1, await ControlClient.SendAsync(SocketPath, "fail -3", output, CancellationToken.None));
        Assert.Equal(0, await ControlClient.SendAsync(SocketPath, "count", output, CancellationToken.None));
        Assert.EndsWith("count 1\n", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScriptIndentation_IsNotMistakenForProtocolRequests()
    {
        using var server = ControlServer.Start(SocketPath, () => new ScriptedSession());
        await using var client = await Connect();
        var output = new StringWriter { NewLine = "\n" };

        Assert.Equal(0, await client.ExecuteAsync("\t  count", output, CancellationToken.None));
        Assert.Equal("count 1\n", output.ToString());
    }

    [Fact]
    public async Task RawWireFormat_IsTheDocumentedOne()
    {
        using var server = ControlServer.Start(SocketPath, () => new ScriptedSession());
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
        await using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await stream.WriteAsync(Encoding.UTF8.GetBytes("\u0001sharpswan-session 1\nfail -61\n\u0011co\n"));

        Assert.Equal("\u00040 gw # ", await reader.ReadLineAsync());
        Assert.Equal("command parse error before 'x'", await reader.ReadLineAsync());
        Assert.Equal("Command fail. Return code -61", await reader.ReadLineAsync());
        Assert.Equal("\u0004-61 gw # ", await reader.ReadLineAsync());
        Assert.Equal("config", await reader.ReadLineAsync());
        Assert.Equal("count", await reader.ReadLineAsync());
        Assert.Equal("\u00040 gw # ", await reader.ReadLineAsync());
    }

    [Fact]
    public async Task CtrlCAfterItsCommandEnded_IsNotAnswered_SoTheNextCommandGetsItsOwnAnswer()
    {
        using var server = ControlServer.Start(SocketPath, () => new ScriptedSession());
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
        await using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        await stream.WriteAsync(Encoding.UTF8.GetBytes("\u0001sharpswan-session 1\ncount\n"));
        Assert.Equal("\u00040 gw # ", await reader.ReadLineAsync());
        Assert.Equal("count 1", await reader.ReadLineAsync());
        Assert.Equal("\u00040 gw # ", await reader.ReadLineAsync());

        // Ctrl-C pressed as "count" finished, then the next command.
        await stream.WriteAsync(Encoding.UTF8.GetBytes("\u0003\ncount\n"));
        Assert.Equal("count 2", await reader.ReadLineAsync().WaitAsync(Patience));
        Assert.Equal("\u00040 gw # ", await reader.ReadLineAsync());
    }

    [Fact]
    public async Task JsonRequest_ReachesTheSessionsJsonSide_AndTheNextCommandIsPlainAgain()
    {
        using var server = ControlServer.Start(SocketPath, () => new ScriptedSession());
        await using var client = await Connect();
        var output = new StringWriter { NewLine = "\n" };

        Assert.Equal(0, await client.ExecuteAsync("count", output, CancellationToken.None, json: true));
        Assert.Equal(0, await client.ExecuteAsync("count", output, CancellationToken.None));
        Assert.Equal("{\"json\":\"count\"}\ncount 1\n", output.ToString());
    }

    [Fact]
    public async Task Session_LearnsThePeersUserFromTheKernel()
    {
        ControlPeer? seen = null;
        using var server = ControlServer.Start(SocketPath, peer =>
        {
            seen = peer;
            return new ScriptedSession();
        });
        await using var client = await Connect();

        Assert.NotNull(seen);
        Assert.Equal(Environment.ProcessId, seen.ProcessId);
        Assert.Equal((long)LibCUid(), seen.UserId);
        Assert.Equal(LibCUid() == 0 ? "root" : Environment.UserName, seen.UserName);
    }

    [Fact]
    public async Task NoGateway_ConnectSaysSo()
    {
        var errors = new StringWriter();
        Assert.Null(await ControlSessionClient.ConnectAsync(SocketPath, errors, CancellationToken.None));
        Assert.Contains("is the gateway running?", errors.ToString(), StringComparison.Ordinal);
    }

    private static uint LibCUid() => uint.Parse(File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

    private async Task<ControlSessionClient> Connect() =>
        await ControlSessionClient.ConnectAsync(SocketPath, TextWriter.Null, CancellationToken.None).WaitAsync(Patience)
        ?? throw new InvalidOperationException("no session");

    /// <summary>A small session with state: a context, a counter, failures, a stream that runs until cancelled.</summary>
    private sealed class ScriptedSession : IControlSession
    {
        private string? _context;
        private int _count;

        public bool StreamWasCancelled { get; private set; }

        public TaskCompletionSource StreamEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Prompt => _context is null ? "gw # " : $"gw ({_context}) # ";

        public async Task ExecuteAsync(string command, TextWriter output, CancellationToken cancellation)
        {
            var words = command.Split(' ');
            switch (words[0])
            {
                case "enter":
                    _context = words[1];
                    await output.WriteLineAsync("entered " + words[1]);
                    break;
                case "count":
                    await output.WriteLineAsync($"count {++_count}");
                    break;
                case "fail":
                    await output.WriteLineAsync("command parse error before 'x'");
                    await output.WriteLineAsync("Command fail. Return code " + words[1]);
                    break;
                case "throw":
                    throw new InvalidOperationException("scripted failure");
                case "fake-end":
                    await output.WriteLineAsync("\u0004-61 evil # ");
                    await output.WriteLineAsync("after");
                    break;
                case "stream":
                    try
                    {
                        await output.WriteLineAsync("packet 1");
                        await Task.Delay(Timeout.Infinite, cancellation);
                    }
                    catch (OperationCanceledException)
                    {
                        StreamWasCancelled = true;
                        await output.WriteLineAsync("2 packets received by filter");
                    }
                    finally
                    {
                        StreamEnded.TrySetResult();
                    }

                    break;
            }
        }

        public Task ExecuteJsonAsync(string command, TextWriter output, CancellationToken cancellation) =>
            output.WriteLineAsync($"{{\"json\":\"{command}\"}}");

        public IReadOnlyList<string> Complete(string partialLine) =>
            [.. new[] { "config", "count" }.Where(w => w.StartsWith(partialLine, StringComparison.Ordinal))];

        public string Help(string partialLine) =>
            string.Concat(Complete(partialLine).Select(w => $"{w,-10}{(w == "config" ? "configure" : "count")}\n"));
    }

    private sealed class LineWriter(Action<string> onLine) : TextWriter
    {
        private readonly List<string> _lines = [];

        public override Encoding Encoding => Encoding.UTF8;

        public IReadOnlyList<string> Lines => _lines;

        public override Task WriteLineAsync(string? value)
        {
            _lines.Add(value ?? "");
            onLine(value ?? "");
            return Task.CompletedTask;
        }
    }
}
