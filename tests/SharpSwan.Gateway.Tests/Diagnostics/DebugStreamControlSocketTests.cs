using System.Text.RegularExpressions;
using SharpSwan.Gateway.Control;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Tests.Diagnostics;

/// <summary>
/// `diagnose debug enable` over the real control socket and client, while a tunnel negotiates: the settings given by
/// earlier commands of the same session apply, lines arrive as they happen, and hanging up ends the stream.
/// </summary>
public sealed class DebugStreamControlSocketTests : IDisposable
{
    private readonly EnginePair _pair = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("sharpswan-debug-").FullName;

    [Fact]
    public async Task DebugEnable_StreamsFilteredTimestampedLines_UntilTheClientHangsUp()
    {
        // The server keeps one session for this client, as a multi-command CLI session does.
        var session = new ControlSession();
        var socket = Path.Combine(_directory, "control.sock");
        using var server = ControlServer.Start(socket, (command, writer, cancellation) => _pair.Handler.HandleAsync(session, command, writer, cancellation));
        foreach (var command in new[] { "diagnose debug application ike -1", "diagnose debug console timestamp enable", "diagnose vpn ike log-filter name to-branch" })
        {
            Assert.Equal(0, await ControlClient.SendAsync(socket, command, TextWriter.Null, CancellationToken.None));
        }

        var received = new LineCollector();
        using var hangUp = new CancellationTokenSource();
        var streaming = ControlClient.SendAsync(socket, "diagnose debug enable", received, hangUp.Token);
        await EnginePair.WaitForAsync(() => _pair.LogA.Subscribers == 1, "the stream to subscribe");

        await _pair.BringUpAsync();
        await received.WaitForAsync(lines => lines.Any(l => l.Contains("added IPsec SA", StringComparison.Ordinal)), "the child SA line");
        await hangUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => streaming);
        await EnginePair.WaitForAsync(() => _pair.LogA.Subscribers == 0, "the stream to end once the client hung up");

        var lines = received.Lines;
        Assert.Contains(lines, l => l.Contains(" ike 0:to-branch:", StringComparison.Ordinal) && l.Contains("established IKE SA", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("sent IKE msg", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ike 0:to-branch:"), l));
        Assert.All(lines, l => Assert.DoesNotContain(EnginePair.Psk, l, StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _pair.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
