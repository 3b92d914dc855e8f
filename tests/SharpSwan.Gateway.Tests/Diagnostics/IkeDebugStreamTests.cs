using System.Text.RegularExpressions;
using SharpSwan.Gateway.Control;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Gateway.Hosting;
using SharpSwan.Ike.Logging;

namespace SharpSwan.Gateway.Tests.Diagnostics;

/// <summary>`diagnose debug enable` streaming against a log sink written to directly, so every line is known.</summary>
public sealed class IkeDebugStreamTests
{
    private readonly ConsoleIkeLog _log = new(0, TextWriter.Null, TimeProvider.System);

    [Fact]
    public async Task Stream_ShowsLinesWithinTheLevel_UntilCancelled()
    {
        var session = new ControlSession { IkeDebugLevel = 1, DebugEnabled = true };
        var output = new LineCollector();
        using var stop = new CancellationTokenSource();
        var stream = IkeDebugStream.RunAsync(_log, session, output, stop.Token);
        await EnginePair.WaitForAsync(() => _log.Subscribers == 1, "the stream to subscribe");

        _log.Write(IkeLogLevel.Packet, "ike 0:to-branch:1: sent IKE msg (SA_INIT)");
        _log.Write(IkeLogLevel.Event, "ike 0:to-branch:1: established IKE SA");
        await output.WaitForAsync(lines => lines.Count > 0, "the event line");
        stop.Cancel();
        await stream;

        Assert.Equal(["ike 0:to-branch:1: established IKE SA"], output.Lines);
        Assert.Equal(0, _log.Subscribers);
    }

    [Fact]
    public async Task Stream_AppliesTheLogFilter_AndTheTimestampPrefix()
    {
        var session = new ControlSession { IkeDebugLevel = -1, DebugEnabled = true, ConsoleTimestamp = true };
        session.LogFilter[IkeDebugFilter.NameKey] = "to-branch";
        var output = new LineCollector();
        using var stop = new CancellationTokenSource();
        var stream = IkeDebugStream.RunAsync(_log, session, output, stop.Token);
        await EnginePair.WaitForAsync(() => _log.Subscribers == 1, "the stream to subscribe");

        _log.Write(IkeLogLevel.Packet, "ike 0:to-other:1: sent IKE msg (SA_INIT)");
        _log.Write(IkeLogLevel.Packet, "ike 0: comes 198.51.100.2:500->192.0.2.1:500,len=300");
        _log.Write(IkeLogLevel.Packet, "ike 0:to-branch:1: sent IKE msg (SA_INIT)");
        await output.WaitForAsync(lines => lines.Count > 0, "the to-branch line");
        stop.Cancel();
        await stream;

        var line = Assert.Single(output.Lines);
        Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ike 0:to-branch:1: sent IKE msg \(SA_INIT\)$"), line);
    }

    [Fact]
    public async Task Stream_EndsWhenTheSessionDisablesDebug()
    {
        var session = new ControlSession { IkeDebugLevel = -1, DebugEnabled = true };
        var output = new LineCollector();
        var stream = IkeDebugStream.RunAsync(_log, session, output, CancellationToken.None);
        await EnginePair.WaitForAsync(() => _log.Subscribers == 1, "the stream to subscribe");

        session.DebugEnabled = false;
        await stream.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, _log.Subscribers);
    }

    [Fact]
    public async Task Stream_WithLevelZero_ReturnsAtOnce_AndShowsNothing()
    {
        var session = new ControlSession { IkeDebugLevel = 0, DebugEnabled = true };
        var output = new LineCollector();
        await IkeDebugStream.RunAsync(_log, session, output, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(output.Lines);
    }

    [Fact]
    public void Subscribers_MakeTheEngineProduceTheirLevel()
    {
        Assert.True(_log.IsEnabled(IkeLogLevel.Event)); // always: the event log needs it
        Assert.False(_log.IsEnabled(IkeLogLevel.Negotiation));
        using (_log.Subscribe(IkeDebugFilter.Threshold(2)))
        {
            Assert.True(_log.IsEnabled(IkeLogLevel.Negotiation));
            Assert.False(_log.IsEnabled(IkeLogLevel.Packet));
            using (_log.Subscribe(IkeDebugFilter.Threshold(-1)))
            {
                Assert.True(_log.IsEnabled(IkeLogLevel.Packet));
            }

            Assert.False(_log.IsEnabled(IkeLogLevel.Packet));
        }

        Assert.False(_log.IsEnabled(IkeLogLevel.Negotiation));
    }

    [Fact]
    public void ExchangeLine_TakesTheAddressesOfTheComesLineBeforeIt()
    {
        _log.Write(IkeLogLevel.Packet, "ike 0: comes 198.51.100.2:500->192.0.2.1:500,len=280");
        _log.Write(IkeLogLevel.Packet, "ike 0: IKEv2 exchange=SA_INIT id=1/2:00000000 len=280");
        var exchange = _log.Recent()[^1];
        Assert.Equal("198.51.100.2", exchange.Remote?.Address.ToString());
        Assert.Equal("192.0.2.1", exchange.Local?.Address.ToString());
        _log.Write(IkeLogLevel.Packet, "ike 0: 3 half-open IKE SAs");
        Assert.Null(_log.Recent()[^1].Remote);
    }

    [Fact]
    public void ConsoleOutput_StillFollowsTheCommandLineLevel()
    {
        using var console = new StringWriter { NewLine = "\n" };
        var quiet = new ConsoleIkeLog(1, console, TimeProvider.System);
        quiet.Write(IkeLogLevel.Event, "ike 0:p1: up");
        quiet.Write(IkeLogLevel.Packet, "ike 0:p1:1: sent IKE msg");
        Assert.Equal("ike 0:p1: up\n", console.ToString());
        Assert.Equal(2, quiet.Recent().Count);
        Assert.Equal("p1", quiet.Recent()[1].Phase1);
    }
}
